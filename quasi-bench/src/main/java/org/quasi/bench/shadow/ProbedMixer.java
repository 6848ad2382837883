package org.quasi.bench.shadow;

import java.util.function.IntUnaryOperator;

/** {@link Mix#mix}, in a class shadow mode probes (the group's include pattern names it). */
final class ProbedMixer implements IntUnaryOperator {
  @Override
  public int applyAsInt(final int x) {
    return Mix.mix(x);
  }
}
