package org.quasi.cli;

/** Methods the specialize command is tried on. */
public final class SpecializeSample {
  private SpecializeSample() {}

  /** {@code x} to the power {@code n}, by squaring. */
  public static long power(final long x, final int n) {
    if (n == 0) {
      return 1;
    }
    final long half = power(x, n / 2);
    return n % 2 == 0 ? half * half : half * half * x;
  }

  /** Greets in one of two languages. */
  public static String greet(final String name, final boolean french) {
    return (french ? "Bonjour " : "Hello ") + name;
  }

  /** Catches: the residual code keeps a residual handler for the division it cannot fold. */
  public static int safeDivide(final int a, final int b) {
    try {
      return a / b;
    } catch (ArithmeticException e) {
      return 0;
    }
  }

  /** Native: no bytecode to specialize, so the specializer declines. Never called. */
  public static native int nativeSum(int a, int b);

  /**
   * {@code Integer.toString(x, 10)}: a JDK call, inlined only when the JDK policy names java.lang (and then because
   * the known radix folds its tests and leaves only the decimal call, which makes inlining pay).
   */
  public static String decimal(final int x) {
    return Integer.toString(x, 10);
  }
}
