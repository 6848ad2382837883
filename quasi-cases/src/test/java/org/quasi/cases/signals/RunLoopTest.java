package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.quasi.cases.signals.app.ProducerConsumer;

class RunLoopTest {

  @Test
  void endsWhenNothingIsRunnableAndCountsSteps() {
    Kernel kernel = new Kernel();
    Population.background(kernel, 5);
    ProducerConsumer app = ProducerConsumer.start(kernel, 10, 2);
    long steps = RunLoop.run(kernel, 100_000);
    assertThat(app.consumed()).isEqualTo(10);
    assertThat(steps).isPositive();
    assertThat(kernel.current()).as("only the idle task is left").isSameAs(kernel.idleTask());
  }

  @Test
  void aStepBoundTurnsARunawayIntoAnError() {
    Kernel kernel = new Kernel();
    ProducerConsumer.start(kernel, 1_000, 4);
    assertThatThrownBy(() -> RunLoop.run(kernel, 50)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exceeded 50 program steps");
  }
}
