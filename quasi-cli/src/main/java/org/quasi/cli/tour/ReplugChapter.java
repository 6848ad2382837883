package org.quasi.cli.tour;

import java.io.PrintWriter;
import java.util.List;
import java.util.function.IntPredicate;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.quasi.bench.BenchGroup;
import org.quasi.bench.BenchGroups;
import org.quasi.bench.BenchRow;
import org.quasi.bench.BenchRun;
import org.quasi.bench.BenchTable;
import org.quasi.runtime.CountingReplugger;
import org.quasi.runtime.Replugger;

/**
 * Chapter 1 of the tour: a generic function, a specialized one plugged in through each replugger, a replug back when
 * the quasi-invariant changes, and what a call costs.
 */
public final class ReplugChapter {

  /** Where the chapter is told. */
  private final PrintWriter out;

  /** Whether to run the JMH measurement. */
  private final boolean measure;

  /** A chapter printing to {@code out}; {@code measure} runs a quick JMH measurement of call costs. */
  public ReplugChapter(final PrintWriter out, final boolean measure) {
    this.out = out;
    this.measure = measure;
  }

  /** A firewall's port filter configuration: read on every packet, changed by an operator once in a while. */
  static final class FilterConfig {
    int low;
    int high;
    int blocked;

    FilterConfig(final int low, final int high, final int blocked) {
      this.low = low;
      this.high = high;
      this.blocked = blocked;
    }
  }

  /** The generic filter: reads the configuration on every call. */
  static IntPredicate generic(final FilterConfig config) {
    return port -> port >= config.low && port <= config.high && port != config.blocked;
  }

  /** The filter specialized for low = 1024, high = 65535, blocked = 8080: the reads are gone, constants remain. */
  static boolean specialized1024(final int port) {
    return port >= 1024 && port <= 65535 && port != 8080;
  }

  /** Tells the chapter. */
  public void run() throws RunnerException {
    out.println("1. Replugging");
    out.println("-------------");
    final FilterConfig config = new FilterConfig(1024, 65535, 8080);
    final int[] ports = {22, 1024, 8080, 8443, 70000};
    out.println("A port filter reads its configuration on every packet:");
    out.println("    accept(port) = port >= cfg.low && port <= cfg.high && port != cfg.blocked");
    out.println("The configuration (low=1024, high=65535, blocked=8080) is a quasi-invariant. Specialized on it,");
    out.println("the filter needs no memory reads at all:");
    out.println("    accept(port) = port >= 1024 && port <= 65535 && port != 8080");
    out.println("(Written by hand in this chapter; the specializer writes it from the generic code.)");
    out.println();
    out.println("The program calls the filter through a replugger, which lets the version change under it.");
    out.println("Three kinds, as in the paper's Table 2:");
    final IntPredicate generic = generic(config);
    final IntPredicate special = ReplugChapter::specialized1024;
    final List<Replugger<IntPredicate>> repluggers = List.of(
        Replugger.functionPointer(IntPredicate.class, generic),
        Replugger.simple(IntPredicate.class, generic),
        Replugger.counting(IntPredicate.class, generic));
    for (final Replugger<IntPredicate> r : repluggers) {
      final String before = answers(r.invoker(), ports);
      r.replug(special);
      final String after = answers(r.invoker(), ports);
      out.printf("  %-19s generic %s, replugged to specialized %s -> %s%n", kind(r) + ":", before, after,
          before.equals(after) ? "same answers" : "DIFFERENT ANSWERS");
    }
    out.println();
    out.println("Now the operator unblocks 8080. The specialized filter relied on blocked=8080, so the guard on that");
    out.println("field (a later chapter weaves it in) replugs the generic version back before the write lands:");
    for (final Replugger<IntPredicate> r : repluggers) {
      r.replug(generic);
    }
    config.blocked = -1;
    for (final Replugger<IntPredicate> r : repluggers) {
      out.printf("  %-19s accept(8080) = %s%s%n", kind(r) + ":", r.invoker().test(8080),
          r instanceof CountingReplugger<?> c ? "   (threads still inside the old version: " + c.threadsInside()
              + ")" : "");
    }
    out.println();
    if (!measure) {
      out.println("(Measurements skipped; run ./quasi bench replug for the full table.)");
      return;
    }
    out.println("What a call costs, measured with JMH (a quick run, one fork each; ./quasi bench replug is the full");
    out.println("table). A simple replugger costs what a direct call costs: C2 inlines the plugged version through a");
    out.println("constant call site. The counting replugger adds a fence per call so that replug can wait for calls");
    out.println("to leave the old version. Measuring (about 30 s)...");
    out.flush();
    final BenchGroup group = BenchGroups.named("replug").orElseThrow();
    final List<BenchRow> rows = new BenchRun(group, true, null,
        List.of(".*ReplugCallBenchmark\\.(directCall|functionPointer|simpleReplugger|countingReplugger)$"),
        VerboseMode.SILENT).run();
    out.println();
    out.print(BenchTable.format(new BenchGroup(group.name(), group.description(), group.includes(),
        group.baseline(), List.of()), rows));
  }

  private static String kind(final Replugger<?> r) {
    return r.getClass().getSimpleName();
  }

  private static String answers(final IntPredicate filter, final int[] ports) {
    final StringBuilder sb = new StringBuilder();
    for (final int p : ports) {
      sb.append(filter.test(p) ? '+' : '-');
    }
    return sb.toString();
  }
}
