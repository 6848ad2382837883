package org.quasi.specializer.validate.sample;

import java.util.ArrayList;
import java.util.List;

/**
 * A class whose constructor takes heap and never finishes, whatever its argument, and never looks at interrupts (as a
 * library's constructor computing tables of a drawn size does): the validator must give up on it within its time
 * limit, stop the thread where the JDK can, and finish the run with the reason in its report.
 */
public class Hog {
  /**
   * Set by the test when it is done: a thread the JDK could not stop (JDK 20 and later) then ends, instead of
   * spinning in the test JVM until it exits.
   */
  public static volatile boolean released;

  private final int n;

  public Hog(final int n) {
    final List<long[]> held = new ArrayList<>();
    while (!released) {
      if (held.size() < 32) {
        held.add(new long[1 << 17]);
      }
    }
    this.n = n + held.size();
  }

  public static int plus(final Hog a, final int b) {
    return a.n + b;
  }

  public static int minus(final Hog a, final int b) {
    return a.n - b;
  }
}
