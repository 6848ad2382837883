package org.quasi.specializer.validate.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A class whose constructor takes heap and never finishes, whatever its argument, and never looks at interrupts (as a
 * library's constructor computing tables of a drawn size does): the validator must give up on it within its time
 * limit, end the thread (at a cancellation point its loader added, or by {@code Thread.stop} up to JDK 19), and
 * finish the run with the reason in its report.
 */
public class Hog {
  private final int n;

  public Hog(final int n) {
    final List<long[]> held = new ArrayList<>();
    // Constructors get small ints: the loop never ends.
    while (n != Integer.MIN_VALUE) {
      if (held.size() < 32) {
        held.add(new long[1 << 17]);
      }
    }
    this.n = held.size();
  }

  public static int plus(final Hog a, final int b) {
    return a.n + b;
  }

  public static int minus(final Hog a, final int b) {
    return a.n - b;
  }
}
