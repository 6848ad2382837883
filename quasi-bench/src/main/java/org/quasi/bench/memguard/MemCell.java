package org.quasi.bench.memguard;

/**
 * One int field, written by {@link #set}: loaded as compiled, woven by quasi-agent ({@code value} a quasi-invariant)
 * or trapped by MemGuard, by {@link Cells}.
 */
public final class MemCell implements IntCell {
  private int value;

  @Override
  public void set(final int v) {
    value = v;
  }

  @Override
  public int get() {
    return value;
  }
}
