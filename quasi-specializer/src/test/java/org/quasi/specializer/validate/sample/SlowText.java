package org.quasi.specializer.validate.sample;

/**
 * A number whose text takes seconds, as TeaVM's {@code TBigInteger.toString} of a large power does: the validator
 * describes results and arguments through it, and must do so within its time limit, on its worker, not on the thread
 * that runs the validation; shadow mode too, not on the program's thread ({@code ShadowAgentTest}).
 */
public final class SlowText {
  /** How long {@link Slow#toString} takes. */
  public static final long NANOS = 4_000_000_000L;

  private SlowText() {
  }

  /** A number whose {@code toString} spins for {@link #NANOS}. */
  public static final class Slow extends Number {
    private static final long serialVersionUID = 1L;
    private final int value;

    public Slow(final int value) {
      this.value = value;
    }

    @Override
    public String toString() {
      final long end = System.nanoTime() + NANOS;
      long spins = 0;
      while (System.nanoTime() < end) {
        spins++;
      }
      return "slow " + value + (spins < 0 ? "?" : "");
    }

    @Override
    public int intValue() {
      return value;
    }

    @Override
    public long longValue() {
      return value;
    }

    @Override
    public float floatValue() {
      return value;
    }

    @Override
    public double doubleValue() {
      return value;
    }
  }

  /** Returns a slow number: describing the original's result takes seconds. */
  public static Slow make(final int value) {
    return new Slow(value);
  }

  /** Takes a slow number: describing the drawn arguments takes seconds. */
  public static int twice(final Slow s) {
    return s == null ? 0 : 2 * s.intValue();
  }
}
