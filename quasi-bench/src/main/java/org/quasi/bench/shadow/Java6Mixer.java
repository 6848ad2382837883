package org.quasi.bench.shadow;

import java.util.function.IntUnaryOperator;

/**
 * {@link Mix#mix}, in a class shadow mode probes, loaded by {@link ShadowProbeBenchmark} as a Java 6 class file
 * (version 50), which gets the static probe: a Java 6 class file cannot hold an {@code invokedynamic}.
 */
public final class Java6Mixer implements IntUnaryOperator {
  @Override
  public int applyAsInt(final int x) {
    return Mix.mix(x);
  }
}
