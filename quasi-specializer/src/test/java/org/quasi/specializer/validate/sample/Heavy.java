package org.quasi.specializer.validate.sample;

/**
 * A class whose method allocates a large array and then waits for a monitor the test holds (as commons-rng's
 * {@code Long2LongArray.convert(seed, size)} on a drawn size near 750 million zeroes a 6 GB array for seconds on a
 * loaded machine): its run times out and, past the grace, still runs and holds the array. The heap watch between
 * classes must wait for it rather than end the run on heap that is garbage once the run ends.
 */
public final class Heavy {
  /** The monitor; the test holds it while the validator runs (one object in every loader: literals are interned). */
  public static final String LOCK = "org.quasi.specializer.validate.sample.Heavy.LOCK";

  /** 256 MB. */
  public static final int LONGS = 1 << 25;

  private Heavy() {
  }

  public static int hold(final int x) {
    final long[] held = new long[LONGS];
    synchronized (LOCK) {
      return held.length + x;
    }
  }
}
