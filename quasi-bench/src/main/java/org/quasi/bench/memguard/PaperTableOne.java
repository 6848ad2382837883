package org.quasi.bench.memguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.quasi.bench.BenchRow;

/**
 * The paper's Table 1 beside the measured rows: a normal write took 2 cycles and a write trapped by MemGuard's page
 * protection 1,971 cycles (about 985x). Cycles are not comparable across 29 years of machines; ratios to the normal
 * write are, so the table prints each measured row in ns and as a multiple of {@code plainWrite}, and the workload
 * variants as slowdowns over {@code plain}.
 */
public final class PaperTableOne {

  /** Table 1 of the paper, in cycles. */
  static final double PAPER_NORMAL_WRITE = 2;
  static final double PAPER_TRAPPED_WRITE = 1971;

  private PaperTableOne() {}

  /** The table for a run's rows (rows that were not run print as not measured). */
  public static String format(final List<BenchRow> rows) {
    final List<String> lines = new ArrayList<>();
    lines.add("Paper Table 1 (cycles): normal write 2, MemGuard trapped write 1,971 (985.5x the normal write)");
    lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", "measured row", "ns/op", "x plainWrite"));
    final double plain = nanos(rows, "MemGuardWriteBenchmark.plainWrite");
    for (final String row : List.of("plainWrite", "guardedWrite", "trappedWriteDisarmed", "trappedWriteUnprotected",
        "trappedWriteReported", "versionCall", "verifiedCall")) {
      final double ns = nanos(rows, "MemGuardWriteBenchmark." + row);
      lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", row, text(ns, "%.2f"), text(ns / plain, "%.1fx")));
    }
    for (final String row : List.of("jdwpTrappedWrite", "jdwpFilteredWrite")) {
      final double ns = nanos(rows, "JdwpWriteBenchmark." + row);
      lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", row, text(ns, "%.2f"), text(ns / plain, "%.1fx")));
    }
    final double checked = nanos(rows, "MemGuardWriteBenchmark.verifiedCall")
        - nanos(rows, "MemGuardWriteBenchmark.versionCall");
    lines.add(String.format(Locale.ROOT, "%-46s %12s", "verifier cost per checked call (verified - version)",
        text(checked, "%.2f")));
    lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", "workload (256 writes + 16 calls)", "ns/op",
        "x plain"));
    final double base = nanos(rows, "MemGuardWorkloadBenchmark.workload[variant=plain]");
    for (final String variant : List.of("plain", "guarded", "trapped", "verified")) {
      final double ns = nanos(rows, "MemGuardWorkloadBenchmark.workload[variant=" + variant + "]");
      lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", variant, text(ns, "%.1f"), text(ns / base, "%.2fx")));
    }
    final double noAgent = nanos(rows, "JdwpWorkloadBenchmark.workloadNoAgent");
    for (final String row : List.of("workloadNoAgent", "workloadAgentLoaded", "workloadUnderJdwp")) {
      final double ns = nanos(rows, "JdwpWorkloadBenchmark." + row);
      lines.add(String.format(Locale.ROOT, "%-46s %12s %12s", row + " (x workloadNoAgent)", text(ns, "%.1f"),
          text(ns / noAgent, "%.2fx")));
    }
    return String.join("\n", lines) + "\n";
  }

  private static double nanos(final List<BenchRow> rows, final String name) {
    for (final BenchRow r : rows) {
      if (r.name().equals(name)) {
        return r.nanos();
      }
    }
    return Double.NaN;
  }

  private static String text(final double value, final String format) {
    return Double.isNaN(value) ? "not run" : String.format(Locale.ROOT, format, value);
  }
}
