package org.quasi.bench.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The residual kills do what the generic ones do: the handler runs once per SIGUSR1, never for signal 0. */
class ResidualKillBenchmarkTest {

  @Test
  void eachOperationDeliversExactlyWhatItSends() throws Exception {
    ResidualKillBenchmark benchmark = new ResidualKillBenchmark();
    benchmark.variant = "residual";
    benchmark.specialize();
    assertThat(benchmark.sigusr1()).isEqualTo(1);
    assertThat(benchmark.sigusr1()).isEqualTo(2);
    assertThat(benchmark.sig0()).as("no delivery").isEqualTo(2);
    assertThat(benchmark.singleUser()).isEqualTo(1);
  }
}
