package org.quasi.specializer.validate.sample;

/**
 * A class whose method fills the heap and then waits for a monitor that the test's JVM holds (as ejml's
 * {@code QRDecompositionHouseholderColumn_DDRM.setExpectedMaxSize} on large drawn sizes allocates a
 * {@code double[m][n]} inside the JVM, past its time limit, where no cancellation point or {@code Thread.stop}
 * reaches it): the harness's own allocations then fail until the run ends, and the harness must wait for room
 * rather than fail on each. Run only in a JVM of its own with a small heap.
 */
public final class Glutton {
  /** The monitor; the child JVM's main holds it (one object in every loader: literals are interned). */
  public static final String LOCK = "org.quasi.specializer.validate.sample.Glutton.LOCK";

  private Glutton() {
  }

  public static int fill(final int x) {
    Object[] held = null;
    try {
      while (true) {
        held = new Object[] {held, new long[1024]};
      }
    } catch (OutOfMemoryError e) {
      // Every last bit of it.
      try {
        while (true) {
          held = new Object[] {held};
        }
      } catch (OutOfMemoryError again) {
        // Full.
      }
    }
    synchronized (LOCK) {
      return held == null ? 0 : x;
    }
  }
}
