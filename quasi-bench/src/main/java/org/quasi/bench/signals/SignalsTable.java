package org.quasi.bench.signals;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Prints the signals group's results beside the paper's figures: for each row of {@link PaperFigure}, the paper's
 * standard and specialized figures and speedup, then the score of every measured variant and the ratio of the
 * generic score to each other variant's.
 */
public final class SignalsTable {

    /**
     * One measured score.
     *
     * @param mean  the mean score
     * @param stdev the standard deviation over iterations
     * @param min   the smallest iteration score
     * @param max   the largest iteration score
     * @param unit  the score unit
     */
    public record Score(double mean, double stdev, double min, double max, String unit) {
    }

    private SignalsTable() {
    }

    /**
     * Collects JMH results by benchmark method and variant.
     *
     * @param results the results of a run of the signals group
     * @return benchmark method name → variant → score, in the order met
     */
    public static Map<String, Map<String, Score>> collect(final Collection<RunResult> results) {
        Map<String, Map<String, Score>> byBenchmark = new LinkedHashMap<>();
        for (RunResult result : results) {
            String label = result.getParams().getBenchmark();
            String method = label.substring(label.lastIndexOf('.') + 1);
            String variant = result.getParams().getParam("variant");
            Statistics stats = result.getPrimaryResult().getStatistics();
            byBenchmark.computeIfAbsent(method, m -> new LinkedHashMap<>()).put(variant,
                    new Score(stats.getMean(), stats.getN() > 1 ? stats.getStandardDeviation() : 0, stats.getMin(),
                            stats.getMax(), result.getPrimaryResult().getScoreUnit()));
        }
        return byBenchmark;
    }

    /**
     * Formats the table.
     *
     * @param measured benchmark method name → variant → score, as {@link #collect} makes it
     * @return the table, one line per benchmark, with a header
     */
    public static String format(final Map<String, Map<String, Score>> measured) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%-34s %10s %10s %8s | %s", "row", "paper std", "paper spec",
                "paper x", "measured (mean ± stdev [min..max]) and generic/variant ratio"));
        List<String> seen = new ArrayList<>();
        for (PaperFigure figure : PaperFigure.values()) {
            seen.add(figure.benchmark());
            lines.add(String.format(Locale.ROOT, "%-34s %7.2f %-2s %7.2f %-2s %7.2fx | %s", figure.description(),
                    figure.standard(), figure.unit(), figure.specialized(), figure.unit(), figure.speedup(),
                    describe(measured.get(figure.benchmark()))));
        }
        for (Map.Entry<String, Map<String, Score>> other : measured.entrySet()) {
            if (!seen.contains(other.getKey())) {
                lines.add(String.format(Locale.ROOT, "%-34s %10s %10s %8s | %s", other.getKey() + " (no target)",
                        "-", "-", "-", describe(other.getValue())));
            }
        }
        return String.join(System.lineSeparator(), lines);
    }

    private static String describe(final Map<String, Score> byVariant) {
        if (byVariant == null || byVariant.isEmpty()) {
            return "not measured";
        }
        StringBuilder text = new StringBuilder();
        Score generic = byVariant.get("generic");
        for (Map.Entry<String, Score> entry : byVariant.entrySet()) {
            Score s = entry.getValue();
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(String.format(Locale.ROOT, "%s %.1f ± %.1f [%.1f..%.1f] %s", entry.getKey(), s.mean(),
                    s.stdev(), s.min(), s.max(), s.unit()));
            if (generic != null && !entry.getKey().equals("generic")) {
                text.append(String.format(Locale.ROOT, " (%.2fx)", generic.mean() / s.mean()));
            }
        }
        return text.toString();
    }
}
