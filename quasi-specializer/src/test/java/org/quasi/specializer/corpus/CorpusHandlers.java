package org.quasi.specializer.corpus;

/**
 * Corpus: exception handlers — try/catch/finally in the entry method and in inlined callees, handlers reading locals
 * written inside the try, nested and rethrowing handlers, exceptions the specializer must not fold away (division by
 * a known zero, a known null, an index out of bounds), handlers in loops.
 */
public final class CorpusHandlers {
  private CorpusHandlers() {
  }

  public static int divideOr(final int a, final int b) {
    try {
      return a / b;
    } catch (ArithmeticException e) {
      return -1;
    }
  }

  public static int indexOr(final int[] a, final int i) {
    int r = 7;
    try {
      r = 1;
      r += a[i];
      r *= 3;
    } catch (ArrayIndexOutOfBoundsException e) {
      return r * 10;
    } catch (NullPointerException e) {
      return r - 100;
    }
    return r;
  }

  public static int finallyCounts(final int[] a, final int k) {
    int count = 0;
    try {
      for (int i = 0; i < k; i++) {
        count += 10 / a[i];
      }
    } catch (RuntimeException e) {
      count = -count;
    } finally {
      if (a != null && a.length > 0) {
        a[0] = count;
      }
    }
    return count;
  }

  public static int nested(final int x, final int y) {
    int r = 0;
    try {
      try {
        r = 100 / x;
        r += 100 / y;
      } catch (ArithmeticException e) {
        r += 1000;
        r += 10 / (x + y);
      }
    } catch (ArithmeticException e) {
      r -= 5000;
    }
    return r;
  }

  public static int callee(final String s, final int x) {
    return safeLength(s) + parseOr(s, x);
  }

  private static int safeLength(final String s) {
    try {
      return s.length();
    } catch (NullPointerException e) {
      return -1;
    }
  }

  private static int parseOr(final String s, final int x) {
    try {
      // The known-string parts fold when s is known, which makes inlining pay (InliningPolicy).
      return Integer.parseInt(s) + x + (s.length() * 3 + s.indexOf('b') + s.lastIndexOf('c') * 5
          + s.indexOf('1') * 7 + s.lastIndexOf('2') * 11 + s.indexOf("ab") * 13);
    } catch (NumberFormatException e) {
      return x * 2;
    }
  }

  public static int throughCallee(final int[] a, final int i) {
    try {
      return element(a, i) * 2;
    } catch (IndexOutOfBoundsException e) {
      return i;
    }
  }

  private static int element(final int[] a, final int i) {
    // Index arithmetic that folds when i is known, which makes inlining pay (InliningPolicy).
    return a[i % 4] + a[(i * 7 + 1) % 5];
  }

  public static int rethrow(final int x) {
    try {
      try {
        if (x < 0) {
          throw new IllegalArgumentException("negative");
        }
        return 10 / x;
      } finally {
        if (x == 3) {
          throw new IllegalStateException("three");
        }
      }
    } catch (IllegalArgumentException e) {
      return -2;
    }
  }

  public static int loopWithHandler(final int[] a, final int d) {
    int sum = 0;
    if (a == null) {
      return -7;
    }
    for (int i = 0; i < a.length; i++) {
      try {
        sum += a[i] / (d - i);
      } catch (ArithmeticException e) {
        sum += 1000 + i;
      }
    }
    return sum;
  }

  public static long finallyReturns(final long v, final int mode) {
    long r = v;
    try {
      if (mode == 0) {
        return r + 1;
      }
      r = r * mode;
      if (mode == 1) {
        throw new UnsupportedOperationException();
      }
    } catch (UnsupportedOperationException e) {
      r = -r;
    } finally {
      r += 100;
    }
    return r;
  }

  public static int nodeSum(final Node n, final int limit) {
    int sum = 0;
    Node p = n;
    try {
      for (int i = 0; i < limit; i++) {
        sum += p.value;
        p = p.next;
      }
    } catch (NullPointerException e) {
      sum = sum * 100 + 1;
    }
    return sum;
  }

  public static String describe(final Object o, final String s) {
    try {
      return ((String) o).concat(s);
    } catch (ClassCastException e) {
      return "cce";
    } catch (NullPointerException e) {
      return s == null ? "npe" : "npe:" + s.length();
    }
  }

  public static int lockedAdd(final Node n, final int x) {
    synchronized (n) {
      n.visits++;
      if (x < 0) {
        throw new IllegalArgumentException();
      }
      return n.value + x;
    }
  }

  public static int callsSynchronized(final int x, final int y) {
    return twiceLocked(x) + (Thread.holdsLock(CorpusHandlers.class) ? 1000 : 0) + 10 / y;
  }

  private static synchronized int twiceLocked(final int x) {
    // Arithmetic that folds when x is known, which makes inlining pay (InliningPolicy).
    return Thread.holdsLock(CorpusHandlers.class)
        ? (x * x - 3 * x) / 7 + x % 5 + (x << 3) - (x >> 1) + (x ^ 0x55) * (x | 9) - (x & 6) * (x + 13)
            + (x * 31 + 7) % 11 * (x - 4) - (x >>> 2) * (x ^ 3) : -1;
  }

  public static boolean holdsInside(final Object o, final int[] a) {
    synchronized (o) {
      synchronized (a) {
        return Thread.holdsLock(o) && Thread.holdsLock(a) && a.length > 1 && a[1] > 0;
      }
    }
  }
}
