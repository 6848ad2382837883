package org.quasi.specializer.corpus;

/** Corpus: arrays, object graphs, quasi-invariant fields, field writes, exceptions and strings. */
public final class CorpusHeap {
  private CorpusHeap() {
  }

  public static int sumArray(final int[] a) {
    int s = 0;
    for (final int v : a) {
      s += v;
    }
    return s;
  }

  public static int arrayIndex(final int[] a, final int i) {
    return a[i] * 2;
  }

  public static int arrayWrite(final int[] a, final int i, final int v) {
    a[i] = v;
    a[0] += 1;
    return a[i] + a.length;
  }

  public static int[] newArray(final int n, final int fill) {
    final int[] a = new int[n];
    for (int i = 0; i < a.length; i++) {
      a[i] = fill + i;
    }
    return a;
  }

  public static int matrix(final int[][] m, final int row) {
    int s = 0;
    for (int j = 0; j < m[row].length; j++) {
      s += m[row][j] * (j + 1);
    }
    return s;
  }

  public static int listSum(final Node n) {
    int s = 0;
    for (Node p = n; p != null; p = p.next) {
      s += p.value;
    }
    return s;
  }

  public static int listVisit(final Node n, final int k) {
    int s = 0;
    for (Node p = n; p != null; p = p.next) {
      p.visits += k;
      s += p.value * p.visits;
    }
    return s;
  }

  public static int listMutate(final Node n, final int v) {
    if (n == null) {
      return 0;
    }
    final int before = n.value;
    n.value = v;
    return before + n.value + (n.next == null ? 0 : n.next.value);
  }

  public static int weighted(final Config c, final int x) {
    int s = 0;
    for (int i = 0; i < c.weights.length; i++) {
      s += c.weights[i] * (x + i);
    }
    return c.mode == 0 ? s : c.mode == 1 ? -s : s % (c.limit == 0 ? 1 : c.limit);
  }

  public static long configWrite(final Config c, final int x) {
    c.total += x;
    c.mode = x % 3;
    return c.total + c.mode;
  }

  public static int configArrayWrite(final Config c, final int x) {
    final int before = c.weights.length > 0 ? c.weights[0] : -1;
    if (c.weights.length > 0) {
      c.weights[0] = x;
    }
    return before + (c.weights.length > 0 ? c.weights[0] : 0);
  }

  public static String format(final Config c, final int x) {
    final StringBuilder b = new StringBuilder(c.name);
    b.append('[');
    for (int i = 0; i < c.limit && i < 4; i++) {
      b.append(c.mode == 0 ? x + i : x * i).append(',');
    }
    return b.append(']').toString();
  }

  public static int nullField(final Node n) {
    return n.next.value;
  }

  public static int castFail(final Object o) {
    return ((String) o).length();
  }

  public static int throwing(final int x) {
    if (x < 0) {
      throw new IllegalArgumentException("negative: " + x);
    }
    if (x == 0) {
      throw new IllegalStateException("zero");
    }
    return 100 / (x - 1);
  }

  public static int negativeArray(final int n) {
    return new int[n].length;
  }

  public static int stringOps(final String s, final int k) {
    if (s.isEmpty()) {
      return k;
    }
    int h = 0;
    for (int i = 0; i < s.length(); i++) {
      h = h * 31 + s.charAt(i) * k;
    }
    return h + s.indexOf('a') + (s.equals("abc") ? 1000 : 0);
  }

  public static String concat(final String a, final int n, final double d) {
    return a + "/" + n + "/" + d;
  }

  public static boolean sameString(final String a, final String b) {
    return a == b || a != null && a.equals(b);
  }

  public static long longArray(final long[] a, final long x) {
    long s = x;
    for (int i = 0; i < a.length; i++) {
      s = s * 7 + a[i];
    }
    return s;
  }

  public static double doubleArray(final double[] a, final int i) {
    return a[i] * 1.5 + a.length;
  }

  public static Object identity(final Object o, final boolean copy) {
    return copy && o instanceof int[] a ? a.clone() : o;
  }

  public static int objectArray(final Object[] a) {
    int n = 0;
    for (final Object o : a) {
      n += o == null ? 1 : o instanceof String ? 2 : 3;
    }
    return n;
  }
}
