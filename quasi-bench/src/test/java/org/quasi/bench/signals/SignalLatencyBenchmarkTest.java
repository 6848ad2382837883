package org.quasi.bench.signals;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quasi.cases.signals.Variant;

/** The benchmark operations do what they claim: the handler runs once per SIGUSR1, never for signal 0. */
class SignalLatencyBenchmarkTest {

  @ParameterizedTest
  @EnumSource(Variant.class)
  void eachOperationDeliversExactlyWhatItSends(final Variant variant) {
    SignalLatencyBenchmark benchmark = new SignalLatencyBenchmark();
    benchmark.variant = variant.paramName();
    benchmark.boot();
    assertThat(benchmark.sigusr1()).isEqualTo(1);
    assertThat(benchmark.sigusr1()).isEqualTo(2);
    assertThat(benchmark.sig0()).as("no delivery").isEqualTo(2);
    assertThat(benchmark.singleUser()).isEqualTo(1);
  }
}
