package org.quasi.bench.signals;

import java.util.concurrent.TimeUnit;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Population;
import org.quasi.cases.signals.RunLoop;
import org.quasi.cases.signals.Variant;
import org.quasi.cases.signals.app.ProducerConsumer;
import org.quasi.cases.signals.app.ThreadedRun;

/**
 * One run of the signals case's threads program, as the app benchmarks measure it: a freshly booted kernel of one
 * variant, on the paper's multi-user system of 62 processes, with the producer and the consumer started. A run
 * whose consumer did not get every item exactly once, in order, fails instead of being measured.
 */
final class AppRun {

  private final Kernel kernel;
  private final ProducerConsumer program;
  private final int items;

  private AppRun(final Kernel kernel, final ProducerConsumer program, final int items) {
    this.kernel = kernel;
    this.program = program;
    this.items = items;
  }

  /** Boots a kernel of {@code variant} (a {@link Variant}'s name) and starts the program with {@code items}. */
  static AppRun boot(final String variant, final int items) {
    final Kernel kernel = Variant.named(variant).boot();
    Population.background(kernel, SignalLatencyBenchmark.MULTI_USER_PROCESSES - 2);
    return new AppRun(kernel, ProducerConsumer.start(kernel, items, AppBenchmark.SLOTS), items);
  }

  /** Runs the program to its end under the kernel model's own scheduler; returns the program steps executed. */
  long onTheModel() {
    final long steps = RunLoop.run(kernel, Long.MAX_VALUE);
    check();
    return steps;
  }

  /** Runs the program with each of its threads on a Java thread; returns the items consumed. */
  int onJavaThreads() throws InterruptedException {
    ThreadedRun.run(kernel, program.threads(), 5, TimeUnit.MINUTES);
    check();
    return program.consumed();
  }

  private void check() {
    if (program.consumed() != items || program.outOfOrder() != 0) {
      throw new IllegalStateException("the consumer got " + program.consumed() + " items, "
          + program.outOfOrder() + " out of order; expected " + items + " in order");
    }
  }
}
