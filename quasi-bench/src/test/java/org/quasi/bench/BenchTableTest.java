package org.quasi.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quasi.bench.BenchTarget.Kind;

/** Ratios, unit conversion and target verdicts of the table {@code ./quasi bench} prints. */
class BenchTableTest {

  private static final BenchRow DIRECT = new BenchRow("C.direct", "avgt", 0.5, 0.01, Double.NaN, "ns/op");
  private static final BenchRow SIMPLE = new BenchRow("C.simple", "avgt", 0.51, 0.01, Double.NaN, "ns/op");
  private static final BenchRow SLOW = new BenchRow("C.slow", "avgt", 6.0, 0.1, Double.NaN, "ns/op");
  private static final BenchRow REPLUG = new BenchRow("L.g:replug", "sample", 40.0, 3.0, 25.0, "us/op");

  private static final BenchGroup GROUP = new BenchGroup("g", "a group", List.of("x"), "C.direct", List.of(
      new BenchTarget("simple <= 1.05x", "C.simple", "C.direct", Kind.RATIO_AT_MOST, 1.05),
      new BenchTarget("slow adds <= 5 ns", "C.slow", "C.direct", Kind.DIFFERENCE_AT_MOST_NS, 5),
      new BenchTarget("replug <= 1 ms", "L.g:replug", null, Kind.VALUE_AT_MOST_NS, 1e6),
      new BenchTarget("absent <= 1x", "C.absent", "C.direct", Kind.RATIO_AT_MOST, 1)));

  @Test
  void ratiosOnlyBetweenRowsOfTheSameModeAndUnit() {
    final String table = BenchTable.format(GROUP, List.of(DIRECT, SIMPLE, SLOW, REPLUG));
    assertThat(table).containsPattern("C\\.simple +avgt +0\\.510 +± 0\\.010 +ns/op +1\\.02x");
    assertThat(table).containsPattern("C\\.slow +avgt +6\\.000 .* 12\\.00x");
    assertThat(table).containsPattern("L\\.g:replug +sample +40\\.000 +± 3\\.000 +25\\.000 +us/op *\\R");
  }

  @Test
  void targetsAreJudgedInNanoseconds() {
    final Map<String, BenchRow> rows = Map.of("C.direct", DIRECT, "C.simple", SIMPLE, "C.slow", SLOW,
        "L.g:replug", REPLUG);
    assertThat(BenchTable.verdict(GROUP.targets().get(0), rows)).isEqualTo("[met]    simple <= 1.05x: measured 1.020x");
    assertThat(BenchTable.verdict(GROUP.targets().get(1), rows))
        .isEqualTo("[missed] slow adds <= 5 ns: measured +5.50 ns");
    assertThat(BenchTable.verdict(GROUP.targets().get(2), rows)).isEqualTo("[met]    replug <= 1 ms: measured 25.0 us");
    assertThat(BenchTable.verdict(GROUP.targets().get(3), rows))
        .isEqualTo("[not measured] absent <= 1x (C.absent not in this run)");
  }

  @Test
  void groupNamesAreUniqueAndFindable() {
    assertThat(BenchGroups.all()).extracting(BenchGroup::name).doesNotHaveDuplicates();
    assertThat(BenchGroups.named("replug")).isPresent();
    assertThat(BenchGroups.named("nope")).isEmpty();
  }
}
