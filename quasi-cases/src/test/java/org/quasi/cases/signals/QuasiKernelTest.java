package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quasi.versions.EntryCounters;

/**
 * The Quasi variant really runs specialized code: on the benchmark's 62-process system, after the entry point's
 * threshold, the kills of the benchmark process to itself are served by a version (not declined, not generic), and
 * switching {@code current} selects another version instead of invalidating (it is a key, read at each call).
 */
class QuasiKernelTest {

  @Test
  void killsOfTheBenchmarkProcessRunASpecializedVersion() {
    Kernel kernel = Variant.QUASI.boot();
    assertThat(kernel).isInstanceOf(QuasiKernel.class);
    List<String> log = new ArrayList<>();
    Population.background(kernel, 60);
    Task self = Population.userProcess(kernel);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("h", log, 0), 0, 0);
    EntryCounters before = QuasiKernel.counters();
    for (int i = 0; i < 10; i++) {
      assertThat(kernel.sysKill(self.pid(), SIGUSR1)).isZero();
      kernel.returnToUser();
      assertThat(kernel.sysKill(self.pid(), 0)).isZero();
    }
    EntryCounters after = QuasiKernel.counters();
    assertThat(QuasiKernel.declinedBecause((QuasiKernel) kernel, self, self.pid(), SIGUSR1)).isNull();
    assertThat(QuasiKernel.declinedBecause((QuasiKernel) kernel, self, self.pid(), 0)).isNull();
    assertThat(after.specializations() - before.specializations()).as("one version per signal").isEqualTo(2);
    assertThat(after.specializedCalls() - before.specializedCalls()).as("%s", after).isGreaterThanOrEqualTo(16);
    assertThat(log).hasSize(10);

    // Another sender: a key of its own, while the first sender's versions stay plugged.
    Task init = kernel.initProcess();
    kernel.switchTo(init);
    for (int i = 0; i < 3; i++) {
      assertThat(kernel.sysKill(self.pid(), 0)).isZero();
    }
    kernel.switchTo(self);
    assertThat(kernel.sysKill(self.pid(), 0)).isZero();
    EntryCounters last = QuasiKernel.counters();
    assertThat(last.invalidations()).as("switching current invalidates nothing").isEqualTo(after.invalidations());
    assertThat(last.specializations() - after.specializations()).isEqualTo(1);
  }
}
