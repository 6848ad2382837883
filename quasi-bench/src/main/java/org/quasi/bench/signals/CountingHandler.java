package org.quasi.bench.signals;

import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.SignalHandler;
import org.quasi.cases.signals.Task;

/**
 * The benchmark program's SIGUSR1 handler: the least a real handler does, count the signal in user memory.
 */
final class CountingHandler implements SignalHandler {

  /** Signals handled so far. */
  long handled;

  @Override
  public void handle(final Kernel kernel, final Task self, final int sig) {
    handled++;
  }

  @Override
  public String name() {
    return "count";
  }
}
