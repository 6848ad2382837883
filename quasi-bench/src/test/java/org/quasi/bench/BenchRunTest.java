package org.quasi.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Which benchmarks a run selects, and which failure is the caller's: nothing here starts JMH, it only reads the
 * {@code META-INF/BenchmarkList} this module's build generated.
 */
class BenchRunTest {

  private static final BenchGroup REPLUG = BenchGroups.named("replug").orElseThrow();

  @Test
  void onlyPatternsNarrowTheGroup() {
    assertThat(run(REPLUG, "ReplugCallBenchmark\\.directCall$").benchmarks())
        .containsExactly("org.quasi.bench.replug.ReplugCallBenchmark.directCall");
  }

  @Test
  void onlyPatternsThatLeaveNothingAreTheCallersMistakeAndNameTheGroupsBenchmarks() {
    assertThatThrownBy(() -> run(REPLUG, "NoSuchBenchmark").benchmarks())
        .isInstanceOf(NoMatchingBenchmarkException.class)
        .hasMessageStartingWith("no benchmark of group 'replug' matches [NoSuchBenchmark]; its benchmarks: ")
        .hasMessageContaining("ReplugCallBenchmark.directCall");
  }

  @Test
  void aMalformedOnlyPatternFailsWhenTheRunIsCreated() {
    assertThatThrownBy(() -> run(REPLUG, "(")).isInstanceOf(PatternSyntaxException.class);
  }

  @Test
  void aGroupTheBuildHasNoBenchmarksForIsNotTheCallersMistake() {
    final BenchGroup ghost = new BenchGroup("ghost", "benchmarks this build never generated",
        List.of("org\\.quasi\\.bench\\.ghost\\..*"), "Ghost.baseline", List.of());
    assertThatThrownBy(() -> run(ghost).benchmarks())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no benchmark of JMH's list matches the patterns [org\\.quasi\\.bench\\.ghost\\..*] "
            + "of group 'ghost'");
  }

  private static BenchRun run(final BenchGroup group, final String... only) {
    return new BenchRun(group, true, null, List.of(only), VerboseMode.SILENT);
  }
}
