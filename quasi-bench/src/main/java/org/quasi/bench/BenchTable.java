package org.quasi.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Formats a group's rows as the table {@code ./quasi bench} prints: each benchmark, its score and its ratio to the
 * group's baseline, then the targets with the measured figure and whether it was met.
 *
 * <p>A ratio is printed only between rows of the same mode and unit; a latency sampled in microseconds has no
 * meaningful ratio to a call measured in nanoseconds.
 */
public final class BenchTable {

  private BenchTable() {}

  /** The table, ready to print. */
  public static String format(final BenchGroup group, final List<BenchRow> rows) {
    final Map<String, BenchRow> byName = new LinkedHashMap<>();
    rows.forEach(r -> byName.put(r.name(), r));
    final BenchRow baseline = byName.get(group.baseline());
    int width = "Benchmark".length();
    for (final BenchRow r : rows) {
      width = Math.max(width, r.name().length());
    }
    final StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-" + width + "s  %-6s  %12s  %10s  %10s  %-6s  %s%n",
        "Benchmark", "Mode", "Score", "Error", "Median", "Units", "vs " + group.baseline()));
    for (final BenchRow r : rows) {
      sb.append(String.format(Locale.ROOT, "%-" + width + "s  %-6s  %12s  %10s  %10s  %-6s  %s%n",
          r.name(), r.mode(), number(r.score()), Double.isNaN(r.error()) ? "" : "± " + number(r.error()),
          Double.isNaN(r.median()) ? "" : number(r.median()), r.unit(), ratio(r, baseline)));
    }
    if (!group.targets().isEmpty()) {
      sb.append(String.format("%nTargets%n"));
      for (final BenchTarget t : group.targets()) {
        sb.append("  ").append(verdict(t, byName)).append(System.lineSeparator());
      }
    }
    return sb.toString();
  }

  /** One target's line: the measured figure and whether it meets the bound. */
  static String verdict(final BenchTarget target, final Map<String, BenchRow> rows) {
    final Optional<Double> measured = target.measure(rows);
    if (measured.isEmpty() || measured.get().isNaN()) {
      final List<String> missing = new ArrayList<>();
      for (final String row : Arrays.asList(target.row(), target.reference())) {
        if (row != null && !rows.containsKey(row)) {
          missing.add(row);
        }
      }
      return "[not measured] " + target.description() + " (" + String.join(", ", missing) + " not in this run)";
    }
    final double value = measured.get();
    final String figure = switch (target.kind()) {
      case RATIO_AT_MOST -> String.format(Locale.ROOT, "%.3fx", value);
      case DIFFERENCE_AT_MOST_NS -> String.format(Locale.ROOT, "%+.2f ns", value);
      case VALUE_AT_MOST_NS -> value >= 1_000 ? String.format(Locale.ROOT, "%.1f us", value / 1_000)
          : String.format(Locale.ROOT, "%.1f ns", value);
    };
    return (value <= target.limit() ? "[met]    " : "[missed] ") + target.description() + ": measured " + figure;
  }

  private static String ratio(final BenchRow row, final BenchRow baseline) {
    if (baseline == null || !baseline.unit().equals(row.unit()) || !baseline.mode().equals(row.mode())
        || baseline.score() == 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.2fx", row.score() / baseline.score());
  }

  private static String number(final double v) {
    if (Double.isNaN(v)) {
      return "";
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3f", v);
  }
}
