package org.quasi.specializer.validate.sample;

/**
 * A class whose methods wait for a monitor the test holds: a thread blocked entering a monitor ignores interrupts,
 * reaches no cancellation point and is not stopped before it gets the monitor, so the validator cannot end it and
 * must fence off the class. The lock is a string literal, one object in every class loader (literals are interned),
 * so the test and the copy of this class the validator's loader defines share it.
 */
public final class Blocker {
  /** The monitor; the test holds it while the validator runs. */
  public static final String LOCK = "org.quasi.specializer.validate.sample.Blocker.LOCK";

  private Blocker() {
  }

  public static int enter(final int x) {
    synchronized (LOCK) {
      return x + 1;
    }
  }

  public static int enterAgain(final int x) {
    synchronized (LOCK) {
      return x - 1;
    }
  }
}
