package org.quasi.specializer.validate.sample;

/**
 * A class whose constructor never finishes for a large argument (as commons-math3's {@code DerivativeStructure(int,
 * int)} does on large ints; "large" is over 4 here, since constructors get integral arguments up to 6): the validator
 * must stop drawing it after the first hang, since each hang costs a thread.
 */
public class Stubborn {
  private final int n;

  public Stubborn(final int n) {
    long spin = 0;
    while (n > 4 && !Thread.currentThread().isInterrupted()) {
      spin++;
    }
    this.n = n + (int) (spin & 0);
  }

  public int value() {
    return n;
  }

  public int twice() {
    return 2 * n;
  }

  public static int plus(final Stubborn a, final int b) {
    return a.n + b;
  }

  // Two static methods draw a Stubborn argument, so whichever the validator tries first hangs and the other is
  // skipped "on an earlier draw", in any method order (value() and twice() may be screened out by their receiver's
  // constructor, which reads the current thread).
  public static int minus(final Stubborn a, final int b) {
    return a.n - b;
  }
}
