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
                  "ReplugLatencyBenchmark.simple:simpleReplug", null, Kind.VALUE_AT_MOST_NS, 1_000_000.0))),
      new BenchGroup("specializer",
          "run-time specialization: an interpreter and an options dispatcher, generic / by hand / specialized; "
              + "the time one specialization takes",
          List.of(PACKAGE + "specializer\\..*"),
          "InterpreterBenchmark.generic",
          List.of(
              new BenchTarget("interpreter: generic / quasi >= 3x (quasi <= 0.333 of generic)",
                  "InterpreterBenchmark.quasi", "InterpreterBenchmark.generic", Kind.RATIO_AT_MOST, 1.0 / 3),
              new BenchTarget("interpreter: quasi / hand <= 1.1",
                  "InterpreterBenchmark.quasi", "InterpreterBenchmark.hand", Kind.RATIO_AT_MOST, 1.1),
              new BenchTarget("dispatch: quasi / hand <= 1.1",
                  "DispatchBenchmark.quasi", "DispatchBenchmark.hand", Kind.RATIO_AT_MOST, 1.1),
              new BenchTarget("one specialization of a ~100-instruction method <= 1 ms (median)",
                  "SpecializeTimeBenchmark.specializeTime", null, Kind.VALUE_AT_MOST_NS, 1_000_000.0))),
      new BenchGroup("typeguard",
          "TypeGuard checking one field across java.base and across every JDK module (two sizes: linear growth)",
          List.of(PACKAGE + "typeguard\\..*"),
          "TypeGuardScanBenchmark.javaBase",
          List.of(
              new BenchTarget("java.base checked for one field <= 10 s on 2 cores, 1 GB heap "
                  + "(the issue adds Guava: see docs/typeguard.md)",
                  "TypeGuardScanBenchmark.javaBase", null, Kind.VALUE_AT_MOST_NS, 10e9))),
      new BenchGroup("signals",
          "issue 6, paper Tables 3-6: kill with delivery (62 and 10 processes), signal 0, a threads application",
          List.of(PACKAGE + "signals\\..*"),
          "SignalLatencyBenchmark.sigusr1[variant=generic]",
          signalsTargets(),
          org.quasi.bench.signals.SignalsTable::format,
          org.quasi.bench.signals.SignalsAgent::forkJvmArgs),
      new BenchGroup("guards",
          "issue 5: a guarded write next to a plain one, a write that invalidates and replugs, and a call through a "
              + "specialized entry point next to the specialized code",
          List.of(PACKAGE + "guards\\..*"),
          "GuardedWriteBenchmark.plainWrite",
          List.of(
              new BenchTarget("guarded write on an object nothing relies on <= 1.5x a plain write",
                  "GuardedWriteBenchmark.guardedWriteUnspecialized", "GuardedWriteBenchmark.plainWrite",
                  Kind.RATIO_AT_MOST, 1.5),
              new BenchTarget("a call through an entry point <= 1.1x the specialized code called directly",
                  "EntryDispatchBenchmark.entryDispatch", "EntryDispatchBenchmark.directSpecialized",
                  Kind.RATIO_AT_MOST, 1.1))),
      new BenchGroup("memguard",
          "issue 8, paper Table 1: a write plain, guarded, trapped by MemGuard's agent (disarmed, armed, reported), "
              + "a call checked by the verifier, a write trapped by the JDWP watch, and a small workload under each "
              + "mechanism",
          List.of(PACKAGE + "memguard\\..*"),
          "MemGuardWriteBenchmark.plainWrite",
          List.of(),
          org.quasi.bench.memguard.PaperTableOne::format),
      new BenchGroup("shadow",
          "issue 7: what shadow mode's probe costs a hot method once the method's samples are taken, next to the "
              + "same method unprobed (the probe of a Java 7+ class file, and of a Java 6 one)",
          List.of(PACKAGE + "shadow\\..*"),
          "ShadowProbeBenchmark.unprobed",
          List.of(
              new BenchTarget("a probed method past its samples <= 1.05x the method unprobed",
                  "ShadowProbeBenchmark.probedPastItsSamples", "ShadowProbeBenchmark.unprobed", Kind.RATIO_AT_MOST,
                  1.05)),
          null,
          org.quasi.bench.shadow.ShadowBenchAgent::forkJvmArgs));

  /**
   * Issue 6's targets: the Quasi variant at least as fast, relative to the generic kernel, as the paper's
   * specialization (generic/quasi >= the paper's speedup, written quasi/generic <= 1/speedup) and within 10% of the
   * hand-specialized kernel. Until the quasi variant exists their rows are absent and they print as not measured.
   */
  private static List<BenchTarget> signalsTargets() {
    final String[][] rows = {
        {"SignalLatencyBenchmark.sigusr1", "Table 3 sigusr1", "2.87"},
        {"SignalLatencyBenchmark.sig0", "Table 4 sig0", "14.75"},
        {"SignalLatencyBenchmark.singleUser", "Table 5 singleUser", "1.21"},
        {"AppBenchmark.app", "Table 6 app", "2.11"}};
    final List<BenchTarget> targets = new java.util.ArrayList<>();
    for (final String[] row : rows) {
      final double paper = Double.parseDouble(row[2]);
      targets.add(new BenchTarget(String.format(java.util.Locale.ROOT,
          "%s: quasi / generic <= %.3f (generic / quasi >= %sx, the paper's speedup)", row[1], 1 / paper, row[2]),
          row[0] + "[variant=quasi]", row[0] + "[variant=generic]", Kind.RATIO_AT_MOST, 1 / paper));
      targets.add(new BenchTarget(row[1] + ": quasi/hand <= 1.1x",
          row[0] + "[variant=quasi]", row[0] + "[variant=hand]", Kind.RATIO_AT_MOST, 1.1));
    }
    return List.copyOf(targets);
  }

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
