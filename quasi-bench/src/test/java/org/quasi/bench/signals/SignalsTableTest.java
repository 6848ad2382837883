package org.quasi.bench.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quasi.bench.BenchRow;

class SignalsTableTest {

  @Test
  void printsThePaperBesideTheMeasuredRatios() {
    List<BenchRow> rows = List.of(
        new BenchRow("SignalLatencyBenchmark.sigusr1[variant=generic]", "avgt", 300, 10, Double.NaN, "ns/op"),
        new BenchRow("SignalLatencyBenchmark.sigusr1[variant=hand]", "avgt", 100, 5, Double.NaN, "ns/op"),
        new BenchRow("AppBenchmark.appOnJavaThreads[variant=generic]", "ss", 2000, 300, Double.NaN, "ms/op"));

    String table = SignalsTable.format(rows);

    assertThat(table).contains("Table 3: SIGUSR1, 62 processes", "44.10", "15.30", "2.87x",
        "generic 300.0 ± 10.0 ns/op", "hand 100.0 ± 5.0 ns/op (3.00x)");
    assertThat(table).contains("Table 4: signal 0, 62 processes", "14.75x", "not measured");
    assertThat(table).contains("appOnJavaThreads (no target)", "generic 2000.0 ± 300.0 ms/op");
  }

  @Test
  void aRunOfPartOfTheGroupPrintsOnlyThePapersRowsItMeasured() {
    List<BenchRow> rows = List.of(
        new BenchRow("SignalLatencyBenchmark.sig0[variant=generic]", "avgt", 60, 1, Double.NaN, "ns/op"),
        new BenchRow("SignalLatencyBenchmark.sig0[variant=quasi]", "avgt", 1, 0.1, Double.NaN, "ns/op"));

    String table = SignalsTable.formatMeasured(rows);

    assertThat(table).contains("Table 4: signal 0, 62 processes", "quasi 1.0 ± 0.1 ns/op (60.00x)");
    assertThat(table).doesNotContain("Table 3", "Table 5", "Table 6", "not measured");
  }

  @Test
  void theSignalsGroupPrintsItAfterItsOwnTable() {
    List<BenchRow> rows = List.of(
        new BenchRow("SignalLatencyBenchmark.sig0[variant=generic]", "avgt", 60, 1, Double.NaN, "ns/op"));
    assertThat(org.quasi.bench.BenchGroups.named("signals").orElseThrow().extraTable(rows))
        .hasValueSatisfying(table -> assertThat(table).contains("Table 4: signal 0", "generic 60.0 ± 1.0 ns/op"));
    assertThat(org.quasi.bench.BenchGroups.named("replug").orElseThrow().extraTable(rows)).isEmpty();
  }
}
