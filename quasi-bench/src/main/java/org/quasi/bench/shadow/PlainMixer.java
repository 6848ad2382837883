package org.quasi.bench.shadow;

import java.util.function.IntUnaryOperator;

/** {@link Mix#mix}, in a class shadow mode does not probe: the baseline. */
final class PlainMixer implements IntUnaryOperator {
  @Override
  public int applyAsInt(final int x) {
    return Mix.mix(x);
  }
}
