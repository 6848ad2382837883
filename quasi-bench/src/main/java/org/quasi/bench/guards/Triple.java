package org.quasi.bench.guards;

import org.quasi.runtime.QuasiInvariant;

/**
 * Three quasi-invariant ints written one after the other: quasi-agent batches the three writes behind one QUID test.
 * Loaded plain and woven ({@link WovenClasses}).
 */
public final class Triple implements IntSink {

  @QuasiInvariant
  public int a;

  @QuasiInvariant
  public int b;

  @QuasiInvariant
  public int c;

  /** Three adjacent writes to this object: one batch. */
  @Override
  public void set(final int v) {
    a = v;
    b = v + 1;
    c = v + 2;
  }

  @Override
  public int get() {
    return a + b + c;
  }
}
