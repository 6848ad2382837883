package org.quasi.specializer.corpus;

import org.quasi.specializer.corpus.Shapes.Base;
import org.quasi.specializer.corpus.Shapes.Shape;

/** Corpus: static, private, virtual, interface, default and super calls; recursion. */
public final class CorpusCalls {
  private CorpusCalls() {
  }

  public static int factorial(final int n) {
    return n <= 1 ? 1 : n * factorial(n - 1);
  }

  public static int fib(final int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  public static long power(final long x, final int n) {
    if (n <= 0) {
      return 1;
    }
    final long half = power(x, n / 2);
    return n % 2 == 0 ? half * half : half * half * x;
  }

  public static int gcd(final int a, final int b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  public static boolean isEven(final int n) {
    return n == 0 || n > 0 && isOdd(n - 1) || n < 0 && isOdd(n + 1);
  }

  private static boolean isOdd(final int n) {
    return n != 0 && isEven(n > 0 ? n - 1 : n + 1);
  }

  public static int helpers(final int a, final int b) {
    return clamp(a + b, -5, 50) + twice(a) - square(b);
  }

  private static int clamp(final int v, final int lo, final int hi) {
    return Math.max(lo, Math.min(hi, v));
  }

  private static int twice(final int v) {
    return v + v;
  }

  static int square(final int v) {
    return v * v;
  }

  public static double area(final Shape s) {
    return s.area() * 2;
  }

  public static String describe(final Shape s) {
    return s.describe();
  }

  public static int scaled(final Base b, final int x) {
    return b.scaled(x) + b.scaled(x + 1);
  }

  public static int virtualLoop(final Shape[] shapes, final int k) {
    int n = 0;
    for (final Shape s : shapes) {
      n += s.name().length() * k;
    }
    return n;
  }

  public static int objectMethods(final Object o, final int x) {
    return o instanceof String s ? s.length() + x : o instanceof Integer i ? i + x : o == null ? -1 : 0;
  }

  public static int ackermannSmall(final int m, final int n) {
    if (m <= 0) {
      return n + 1;
    }
    if (m > 2 || n > 4 || n < 0) {
      return -1;
    }
    if (n == 0) {
      return ackermannSmall(m - 1, 1);
    }
    return ackermannSmall(m - 1, ackermannSmall(m, n - 1));
  }

  /** {@code Objects.requireNonNull} of an argument, then a use of it: both fold on a known non-null string. */
  public static int checkedLength(final String s, final int x) {
    return java.util.Objects.requireNonNull(s, "s").length() + x;
  }

  /** Returns its argument through {@code Objects.requireNonNull}: the very object, or the exception on null. */
  public static Object checked(final Object[] o) {
    return java.util.Objects.requireNonNull(o);
  }

  /**
   * A check whose failure path calls a helper the hidden class cannot reach: inlined where a known {@code k} cuts
   * that path off, called otherwise.
   */
  public static int checkedScale(final int x, final int k) {
    org.quasi.specializer.corpus.checks.Checks.checkArgument(k > 0, "k");
    return x * k;
  }

  /** An instance-method host: receiver known or unknown. */
  public static final class Accumulator {
    private final int base;
    private int calls;

    public Accumulator(final int base) {
      this.base = base;
    }

    public int add(final int x, final int y) {
      calls++;
      return base + step(x) + step(y);
    }

    private int step(final int v) {
      return v > base ? v - base : v + base;
    }

    @Override
    public String toString() {
      return "Accumulator(" + base + "," + calls + ")";
    }
  }

  public static int accumulate(final Accumulator acc, final int x) {
    return acc.add(x, x + 1) + acc.add(x * 2, 3);
  }
}
