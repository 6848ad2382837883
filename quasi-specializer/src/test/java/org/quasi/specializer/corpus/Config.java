package org.quasi.specializer.corpus;

import java.util.Arrays;

/** A configuration object (corpus): {@code mode}, {@code weights} and {@code name} are declared quasi-invariant. */
public final class Config {
  public int mode;
  public int[] weights;
  public String name;
  public final int limit;
  public long total;
  public static int instances;

  public Config(final int mode, final int[] weights, final String name, final int limit) {
    this.mode = mode;
    this.weights = weights;
    this.name = name;
    this.limit = limit;
  }

  @Override
  public String toString() {
    return "Config(" + mode + "," + Arrays.toString(weights) + "," + name + "," + limit + "," + total + ")";
  }
}
