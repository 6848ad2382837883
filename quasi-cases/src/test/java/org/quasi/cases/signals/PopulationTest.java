package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PopulationTest {

  @Test
  void buildsThePapersMultiUserSystemWithTheTestProcessLast() {
    Kernel kernel = new Kernel();
    Population.background(kernel, 60);
    Task process = Population.userProcess(kernel);
    assertThat(Population.processes(kernel)).isEqualTo(62);
    assertThat(kernel.current()).isSameAs(process);
    assertThat(process.uid()).isEqualTo(Population.USER);
    assertThat(kernel.idleTask().prevTask).as("forked last, found last").isSameAs(process);
    assertThat(kernel.initProcess().state()).as("the rest sleeps").isEqualTo(TaskState.TASK_INTERRUPTIBLE);
    assertThat(kernel.findTask(2).euid()).as("every third daemon is root").isZero();
    assertThat(kernel.findTask(3).euid()).isEqualTo(Population.USER);
  }
}
