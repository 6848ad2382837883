package org.quasi.runtime;

import java.time.Duration;
import java.util.function.IntUnaryOperator;

/**
 * A deliberately broken replugger, kept to prove that {@link ReplugConcurrencyTest} catches brokenness: it counts
 * calls like a {@link CountingReplugger} but does not wait for them to leave the old version (its quiescence timeout
 * is zero and it swallows the timeout). A replug through it returns while calls still run the old target.
 */
final class NonWaitingCountingReplugger {

  /** The counting replugger it misuses. */
  private final CountingReplugger<IntUnaryOperator> counting;

  NonWaitingCountingReplugger(final IntUnaryOperator initial) {
    this.counting = Replugger.counting(java.lang.invoke.MethodHandles.lookup(), IntUnaryOperator.class, initial,
        Duration.ZERO);
  }

  IntUnaryOperator invoker() {
    return counting.invoker();
  }

  void replug(final IntUnaryOperator target) {
    try {
      counting.replug(target);
    } catch (QuiescenceTimeoutException deliberatelyIgnored) {
      // This is the bug this class exists for.
    }
  }

  int threadsInside() {
    return counting.threadsInside();
  }
}
