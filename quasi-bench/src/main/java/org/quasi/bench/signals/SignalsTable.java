package org.quasi.bench.signals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.quasi.bench.BenchRow;

/**
 * Prints the signals group's results beside the paper's figures: for each row of {@link PaperFigure}, the paper's
 * standard and specialized figures and speedup, then the score of every measured variant (mean ± the half-width of
 * JMH's 99.9% confidence interval) and the ratio of the generic score to each other variant's. Benchmarks of the
 * group that the paper did not measure (the application on Java threads) follow, without a paper column.
 */
public final class SignalsTable {

  private SignalsTable() {
  }

  /**
   * Groups rows named {@code Class.method[variant=v]} by method and variant.
   *
   * @param rows the rows of a run of the signals group
   * @return benchmark method name → variant → row, in the order met
   */
  public static Map<String, Map<String, BenchRow>> byBenchmark(final List<BenchRow> rows) {
    Map<String, Map<String, BenchRow>> grouped = new LinkedHashMap<>();
    for (BenchRow row : rows) {
      String name = row.name();
      int bracket = name.indexOf('[');
      String benchmark = bracket < 0 ? name : name.substring(0, bracket);
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String variant = "";
      int key = name.indexOf("variant=");
      if (key >= 0) {
        int end = name.indexOf(',', key);
        variant = name.substring(key + "variant=".length(), end < 0 ? name.indexOf(']', key) : end);
      }
      grouped.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(variant, row);
    }
    return grouped;
  }

  /**
   * Formats the table.
   *
   * @param rows the rows of a run of the signals group
   * @return the table, one line per benchmark, with a header
   */
  public static String format(final List<BenchRow> rows) {
    return format(rows, false);
  }

  /**
   * Formats the table of a run of part of the group: only the paper's rows it measured.
   *
   * @param rows the rows of a run of some of the signals group's benchmarks
   * @return the table, one line per benchmark measured, with a header
   */
  public static String formatMeasured(final List<BenchRow> rows) {
    return format(rows, true);
  }

  private static String format(final List<BenchRow> rows, final boolean measuredOnly) {
    Map<String, Map<String, BenchRow>> measured = byBenchmark(rows);
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-34s %10s %10s %8s | %s", "row", "paper std", "paper spec",
        "paper x", "measured mean ± error per variant (generic/variant)"));
    List<String> seen = new ArrayList<>();
    for (PaperFigure figure : PaperFigure.values()) {
      seen.add(figure.benchmark());
      if (measuredOnly && !measured.containsKey(figure.benchmark())) {
        continue;
      }
      lines.add(String.format(Locale.ROOT, "%-34s %7.2f %-2s %7.2f %-2s %7.2fx | %s", figure.description(),
          figure.standard(), figure.unit(), figure.specialized(), figure.unit(), figure.speedup(),
          describe(measured.get(figure.benchmark()))));
    }
    for (Map.Entry<String, Map<String, BenchRow>> other : measured.entrySet()) {
      if (!seen.contains(other.getKey())) {
        lines.add(String.format(Locale.ROOT, "%-34s %10s %10s %8s | %s", other.getKey() + " (no target)",
            "-", "-", "-", describe(other.getValue())));
      }
    }
    return String.join(System.lineSeparator(), lines);
  }

  private static String describe(final Map<String, BenchRow> byVariant) {
    if (byVariant == null || byVariant.isEmpty()) {
      return "not measured";
    }
    StringBuilder text = new StringBuilder();
    BenchRow generic = byVariant.get("generic");
    for (Map.Entry<String, BenchRow> entry : byVariant.entrySet()) {
      BenchRow row = entry.getValue();
      if (text.length() > 0) {
        text.append("; ");
      }
      text.append(String.format(Locale.ROOT, "%s %.1f ± %.1f %s", entry.getKey(), row.score(),
          Double.isNaN(row.error()) ? 0.0 : row.error(), row.unit()));
      if (generic != null && !entry.getKey().equals("generic") && generic.unit().equals(row.unit())) {
        text.append(String.format(Locale.ROOT, " (%.2fx)", generic.score() / row.score()));
      }
    }
    return text.toString();
  }
}
