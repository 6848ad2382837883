package org.quasi.bench;

import java.util.List;
import java.util.Optional;
import org.quasi.bench.BenchTarget.Kind;

/**
 * Every benchmark group {@code ./quasi bench} knows, in the order {@code --list} prints them. A new issue's group is
 * one more entry here, with the targets the issue sets.
 */
public final class BenchGroups {

  /** The package the benchmarks live in, prefixed to row names to form JMH include patterns. */
  private static final String PACKAGE = "org.quasi.bench.";

  /** The groups. */
  private static final List<BenchGroup> ALL = List.of(
      new BenchGroup("replug",
          "call cost of the three repluggers next to a direct call, and the latency of one replug",
          List.of(PACKAGE + "replug\\..*"),
          "ReplugCallBenchmark.directCall",
          List.of(
              new BenchTarget("simple replugger call <= 1.05x a direct call",
                  "ReplugCallBenchmark.simpleReplugger", "ReplugCallBenchmark.directCall", Kind.RATIO_AT_MOST, 1.05),
              new BenchTarget("counting replugger adds <= 5 ns per call with 2 threads",
                  "ReplugCallBenchmark.countingReplugger2Threads", "ReplugCallBenchmark.directCallTwoThreads",
                  Kind.DIFFERENCE_AT_MOST_NS, 5.0),
              new BenchTarget("one simple replug <= 1 ms (median) while another thread calls",
                  "ReplugLatencyBenchmark.simple:simpleReplug", null, Kind.VALUE_AT_MOST_NS, 1_000_000.0))));

  private BenchGroups() {}

  /** All groups. */
  public static List<BenchGroup> all() {
    return ALL;
  }

  /** The group called {@code name}, if any. */
  public static Optional<BenchGroup> named(final String name) {
    return ALL.stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
