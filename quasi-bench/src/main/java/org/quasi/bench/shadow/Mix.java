package org.quasi.bench.shadow;

/**
 * The work of the probed methods: a hash step, small enough that a probe's cost shows beside it. Public: the Java 6
 * copy of {@link Java6Mixer} is in a loader of its own, so in another run-time package.
 */
public final class Mix {
  private Mix() {
  }

  public static int mix(final int x) {
    final int h = x * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
