package org.quasi.bench.guards;

import org.quasi.runtime.QuasiInvariant;

/** One quasi-invariant int: what the benchmarks write, loaded plain and woven ({@link WovenClasses}). */
public final class Cell implements IntSink {

  @QuasiInvariant
  public int value;

  @Override
  public void set(final int v) {
    value = v;
  }

  @Override
  public int get() {
    return value;
  }
}
