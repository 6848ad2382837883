package org.quasi.specializer.validate.sample;

import java.util.stream.IntStream;

/**
 * Checks its rows on a parallel stream, as smile's {@code MathEx.pdist} does: with a null row and a short one, which
 * exception the caller sees depends on which task fails first. Never run on drawn values.
 */
public final class Parallel {
  private Parallel() {
  }

  /** The rows' lengths; a null row throws NullPointerException, an empty one IllegalArgumentException. */
  public static int[] lengths(final int[][] rows) {
    final int[] out = new int[rows.length];
    IntStream.range(0, rows.length).parallel().forEach(i -> {
      if (rows[i].length == 0) {
        throw new IllegalArgumentException("empty row " + i);
      }
      out[i] = rows[i].length;
    });
    return out;
  }
}
