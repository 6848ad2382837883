package org.quasi.specializer.validate.sample;

/**
 * Calls a native method of its own, as smile's {@code OpenBLAS.asum(n, x, incx)} calls JavaCPP's
 * {@code openblas.cblas_dasum} (native code reading {@code n} elements of {@code x} crashed the JVM on a large drawn
 * {@code n}), directly and through an interface, as smile's {@code Matrix} calls {@code BLAS.engine}. Never run on
 * drawn values.
 */
public final class NativeCode {
  private static final Engine ENGINE = new Blas();

  private NativeCode() {
  }

  /** The sum of the first {@code n} elements of {@code x}, in native code that does not check {@code n}. */
  public static double sum(final int n, final double[] x) {
    return nativeSum(n, x);
  }

  /** The same sum, through an interface whose implementation on the class path calls the native method. */
  public static double sumThroughEngine(final int n, final double[] x) {
    return ENGINE.sum(n, x);
  }

  private static native double nativeSum(int n, double[] x);

  /** What computes sums. */
  public interface Engine {
    double sum(int n, double[] x);
  }

  /** The implementation in native code. */
  public static final class Blas implements Engine {
    @Override
    public double sum(final int n, final double[] x) {
      return nativeSum(n, x);
    }
  }
}
