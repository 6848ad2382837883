package org.quasi.specializer.corpus;

/**
 * Corpus: objects allocated by the method that do or do not escape it (escape analysis): records, plain objects,
 * boxes, varargs and small arrays, and each way of escaping (returned, stored, passed, compared, thrown, joined).
 */
public final class CorpusEscape {
  private CorpusEscape() {
  }

  /** A record: its canonical constructor only stores its components. */
  public record Point(int x, int y) {
    int dot(final Point o) {
      return x * o.x + y * o.y;
    }

    Point plus(final Point o) {
      return new Point(x + o.x, y + o.y);
    }
  }

  /** A plain object with a chain of constructors and a constant field. */
  public static class Cell {
    final long value;
    final String tag;
    byte small;

    Cell(final long value) {
      this(value, "cell");
    }

    Cell(final long value, final String tag) {
      this.value = value;
      this.tag = tag;
    }

    Cell(final long value, final int small) {
      this(value, "small");
      this.small = (byte) small;
    }

    long twice() {
      return value * 2;
    }

    @Override
    public String toString() {
      return tag + "=" + value;
    }
  }

  /** A constructor that checks its argument: not virtual, its allocation stays. */
  public static final class Checked {
    final int n;

    Checked(final int n) {
      if (n < 0) {
        throw new IllegalArgumentException("negative");
      }
      this.n = n;
    }
  }

  /** Where escaping objects are stored. */
  public static final class Holder {
    Object last;
    int count;

    @Override
    public String toString() {
      return "Holder(" + last + "," + count + ")";
    }
  }

  public static int pointSum(final int a, final int b) {
    final Point p = new Point(a, b);
    return p.x() + p.y();
  }

  public static int dot(final int a, final int b, final int c) {
    final Point p = new Point(a, b);
    final Point q = p.plus(new Point(c, a));
    return q.dot(p);
  }

  public static Point escapesByReturn(final int a, final int b) {
    final Point p = new Point(a, b);
    return p.x() > 0 ? p : new Point(b, a);
  }

  public static int escapesIntoHolder(final Holder h, final int a) {
    final Point p = new Point(a, a + 1);
    h.last = p;
    h.count++;
    return p.y();
  }

  public static String escapesIntoCall(final int a, final String tag) {
    final Cell c = new Cell(a, tag);
    return String.valueOf(c) + c.twice();
  }

  public static long chained(final long v, final int s) {
    final Cell c = new Cell(v, s);
    final Cell d = new Cell(v);
    return c.value + c.small + d.twice() + d.tag.length();
  }

  public static boolean identity(final int a, final Object other) {
    final Point p = new Point(a, 0);
    final Point q = p;
    return p == q && p != other && other != new Point(a, 0) && p instanceof Record && p != null;
  }

  public static int joined(final int a, final int b) {
    final Point p = a > b ? new Point(a, b) : new Point(b, a);
    int s = 0;
    for (int i = 0; i < 3; i++) {
      s += p.x() - p.y() + i;
    }
    return s;
  }

  public static int boxes(final int a, final int b) {
    final Integer x = a;
    final Integer y = b;
    final Long z = (long) a * b;
    return x + y + z.intValue();
  }

  public static boolean boxIdentity(final int a, final int b) {
    final Integer x = a;
    final Integer y = b;
    return x == y;
  }

  public static int varargs(final int a, final int b, final int c) {
    return sum(a, b, c) + sum() + sum(a);
  }

  private static int sum(final int... xs) {
    int s = 0;
    for (final int x : xs) {
      s += x;
    }
    return s;
  }

  public static String joinNames(final String a, final String b) {
    return String.join("-", a == null ? "null" : a, b == null ? "none" : b);
  }

  public static int arrays(final int a, final int i) {
    final int[] t = new int[4];
    t[0] = a;
    t[1] = a * 2;
    t[2] = t[0] + t[1];
    return t[i & 3] + t.length + t[i];
  }

  public static String narrowing(final int a) {
    final byte[] b = new byte[2];
    b[0] = (byte) a;
    final char[] c = {(char) a, 'x'};
    b[1] = (byte) c[0];
    return java.util.Arrays.toString(b) + (int) c[0];
  }

  public static Object[] objectArray(final Object o, final String s, final int n) {
    final Object[] a = new Object[3];
    a[0] = o;
    a[1] = s;
    a[2] = new Point(n, n);
    final String[] t = new String[1];
    t[0] = s;
    if (n > 2) {
      return new Object[] {a[n % 3], t[0]};
    }
    return a;
  }

  public static int thrown(final int a) {
    final Checked c = new Checked(a);
    if (a > 5) {
      throw new IllegalStateException("big " + new Point(a, a));
    }
    return c.n;
  }

  public static int loopAllocations(final int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
      final Point p = new Point(i, n);
      s += p.dot(p);
    }
    return s;
  }

  public static int castAndCheck(final int a, final Object o) {
    final Object p = new Point(a, a);
    final Point q = (Point) p;
    final Object[] arr = {o, p};
    return (arr[0] instanceof Point ? 1 : 0) + q.x() + (arr[1] instanceof Point r ? r.y() : -1);
  }

  /** A functional interface of the corpus, with a default method. */
  public interface Op {
    int apply(int x);

    default int twice(final int x) {
      return apply(apply(x));
    }
  }

  public static int lambdaCapture(final int a, final int b) {
    final java.util.function.IntUnaryOperator f = x -> x * a + b;
    return f.applyAsInt(3) + applyTo(f, b);
  }

  private static int applyTo(final java.util.function.IntUnaryOperator f, final int v) {
    return f.applyAsInt(v);
  }

  public static int methodReferences(final String s, final int a) {
    final java.util.function.ToIntFunction<String> length = String::length;
    final java.util.function.Function<Integer, Integer> inc = x -> x + a;
    return length.applyAsInt(s) + inc.apply(a) + inc.apply(7);
  }

  public static int defaultMethod(final int a, final int b) {
    final Op o = x -> x + a;
    return o.twice(b);
  }

  public static String escapingLambda(final Holder h, final String s, final int a) {
    final java.util.function.Supplier<String> sup = () -> s + a;
    h.last = sup.get();
    final Runnable r = () -> h.count++;
    r.run();
    final java.util.function.Supplier<String> kept = () -> "kept";
    return sup.get() + (kept == kept) + String.valueOf(kept.get());
  }

  public static int chosenLambda(final int a, final int b) {
    final java.util.function.IntBinaryOperator op = a > b ? (x, y) -> x + y : (x, y) -> x * y;
    return op.applyAsInt(a, b) + op.applyAsInt(b, 2);
  }

  /**
   * A virtual array in two locals, one of which the loop writes: a loop kept rolled lifts the written one at its
   * header, and must lift its alias too, or writes through one are lost to the other.
   */
  public static int aliasedAcrossALoop(final int n) {
    final int[] a = new int[2];
    int[] b = a;
    for (int i = 0; i < n; i++) {
      b[0] += 1;
      if (i == 100) {
        b = new int[2];
      }
    }
    return a[0];
  }

  /** The same with a known bound and the write on one side of a residual branch. */
  public static int aliasedAcrossABranchingLoop(final int x) {
    final int[] a = new int[1];
    int[] b = a;
    int h = 0;
    for (int i = 0; i < 3; i++) {
      if (x == i) {
        h = h * 31 + x;
        h = h * 17 + x;
        h = h * 13 + x;
        h = h * 11 + x;
        h = h * 7 + x;
      } else {
        b[0] += 7;
        final int[] c = b;
        b = c;
      }
    }
    return a[0] + h;
  }
}
