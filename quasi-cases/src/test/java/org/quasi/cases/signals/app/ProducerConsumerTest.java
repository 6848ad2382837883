package org.quasi.cases.signals.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.KernelSnapshot;
import org.quasi.cases.signals.Population;
import org.quasi.cases.signals.RunLoop;
import org.quasi.cases.signals.TaskState;
import org.quasi.cases.signals.Variant;

/** The LinuxThreads-style producer/consumer transfers every item exactly once, in order, on every variant. */
class ProducerConsumerTest {

  @ParameterizedTest
  @EnumSource(Variant.class)
  void scheduledByTheKernelModelEveryItemArrivesOnceInOrder(final Variant variant) {
    Kernel kernel = variant.boot();
    Population.background(kernel, 60);
    ProducerConsumer app = ProducerConsumer.start(kernel, 100_000, 4);
    long steps = RunLoop.run(kernel, 10_000_000L);
    assertThat(app.consumed()).isEqualTo(100_000);
    assertThat(app.outOfOrder()).isZero();
    assertThat(steps).as("the threads had to wait for each other").isGreaterThan(100_000L * 10);
    assertThat(kernel.contextSwitches()).as("and were switched by the model's scheduler").isGreaterThan(1000L);
    app.threads().forEach(t -> assertThat(t.task().state()).isEqualTo(TaskState.TASK_ZOMBIE));
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void everyVariantRunsTheProgramIdentically(final Variant variant) {
    Kernel generic = Variant.GENERIC.boot();
    Kernel other = variant.boot();
    for (Kernel kernel : new Kernel[] {generic, other}) {
      Population.background(kernel, 20);
      ProducerConsumer.start(kernel, 5_000, 4);
      RunLoop.run(kernel, 10_000_000L);
    }
    assertThat(KernelSnapshot.of(other)).isEqualTo(KernelSnapshot.of(generic));
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void onRealJavaThreadsEveryItemArrivesOnceInOrder(final Variant variant) throws InterruptedException {
    Kernel kernel = variant.boot();
    Population.background(kernel, 60);
    ProducerConsumer app = ProducerConsumer.start(kernel, 5_000, 4);
    ThreadedRun.run(kernel, app.threads(), 60, TimeUnit.SECONDS);
    assertThat(app.consumed()).isEqualTo(5_000);
    assertThat(app.outOfOrder()).isZero();
  }
}
