package org.quasi.specializer.validate.sample;

/**
 * A class whose constructor never finishes for a large argument (as commons-math3's {@code DerivativeStructure(int,
 * int)} does on large ints): the validator must stop drawing it after the first hang, since each hang costs a thread.
 */
public class Stubborn {
  private final int n;

  public Stubborn(final int n) {
    long spin = 0;
    while (n > 200 && !Thread.currentThread().isInterrupted()) {
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
}
