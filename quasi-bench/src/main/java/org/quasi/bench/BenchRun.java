package org.quasi.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs a benchmark group in this process through JMH's {@link Runner} (each benchmark still gets its own forked JVM)
 * and turns the results into {@link BenchRow}s.
 *
 * <p>A full run uses each benchmark's own annotations. A quick run shortens warm-up and measurement to three
 * one-second iterations each, enough to see the shape of a result on a quiet machine, not to quote it; a run with
 * other {@link Iterations} (the tour's glance) shortens them further.
 */
public final class BenchRun {

  /**
   * Warm-up and measurement iterations of one fork per benchmark, replacing the benchmarks' own.
   *
   * @param warmups      warm-up iterations
   * @param measurements measured iterations
   * @param millis       the length of each, in milliseconds
   */
  public record Iterations(int warmups, int measurements, int millis) {
    /** {@code --quick}: three one-second warm-up and measurement iterations. */
    public static final Iterations QUICK = new Iterations(3, 3, 1000);
    /**
     * A glance, for a demonstration that runs many benchmarks: two half-second warm-up iterations, three measured.
     * Ratios of a few times hold; differences of ten percent do not.
     */
    public static final Iterations GLANCE = new Iterations(2, 3, 500);

    public Iterations {
      if (warmups < 0 || measurements < 1 || millis < 1) {
        throw new IllegalArgumentException("iterations: " + warmups + " warm-up, " + measurements + " measured, "
            + millis + " ms each");
      }
    }
  }

  /** The group to run. */
  private final BenchGroup group;

  /** The iterations replacing the benchmarks' own; {@code null} for theirs. */
  private final Iterations iterations;

  /** Where JMH writes its JSON result file; {@code null} for none. */
  private final Path json;

  /** Extra include patterns narrowing the group, e.g. one benchmark; empty for the whole group. */
  private final List<String> only;

  /** {@link #only}, compiled when the run is created, so that a malformed one is the caller's error at once. */
  private final List<Pattern> onlyPatterns;

  /** How much JMH prints while it runs. */
  private final VerboseMode verbosity;

  /**
   * Creates a run.
   *
   * @param only regular expressions; when not empty, only the group's benchmarks in whose name one of them is found
   *     run
   * @throws java.util.regex.PatternSyntaxException when one of {@code only} is not a regular expression
   */
  public BenchRun(final BenchGroup group, final boolean quick, final Path json, final List<String> only,
      final VerboseMode verbosity) {
    this(group, quick ? Iterations.QUICK : null, json, only, verbosity);
  }

  /**
   * Creates a run with the given iterations ({@code null}: each benchmark's own annotations).
   *
   * @throws java.util.regex.PatternSyntaxException when one of {@code only} is not a regular expression
   */
  public BenchRun(final BenchGroup group, final Iterations iterations, final Path json, final List<String> only,
      final VerboseMode verbosity) {
    this.group = Objects.requireNonNull(group, "group");
    this.iterations = iterations;
    this.json = json;
    this.only = List.copyOf(only);
    this.onlyPatterns = this.only.stream().map(Pattern::compile).collect(Collectors.toUnmodifiableList());
    this.verbosity = Objects.requireNonNull(verbosity, "verbosity");
  }

  /**
   * Runs the group and returns one row per benchmark, and one per method of each {@code @Group} benchmark.
   *
   * @throws RunnerException when JMH fails (a benchmark threw, a fork could not start)
   */
  public List<BenchRow> run() throws RunnerException {
    final ChainedOptionsBuilder options = new OptionsBuilder().verbosity(verbosity).shouldFailOnError(true);
    benchmarks().forEach(name -> options.include("^" + Pattern.quote(name) + "$"));
    final List<String> forkJvmArgs = group.forkJvmArgs().get();
    if (!forkJvmArgs.isEmpty()) {
      options.jvmArgsAppend(forkJvmArgs.toArray(String[]::new));
    }
    if (iterations != null) {
      options.warmupIterations(iterations.warmups()).warmupTime(TimeValue.milliseconds(iterations.millis()))
          .measurementIterations(iterations.measurements())
          .measurementTime(TimeValue.milliseconds(iterations.millis())).forks(1);
    }
    if (json != null) {
      options.resultFormat(ResultFormatType.JSON).result(json.toString());
    }
    return rows(new Runner(options.build()).run());
  }

  /**
   * The fully qualified names of the benchmarks this run will run: the group's, narrowed by the {@code only}
   * patterns (a benchmark is kept when one of them is found in its name).
   *
   * @throws NoMatchingBenchmarkException when the {@code only} patterns leave none of the group's benchmarks (the
   *     caller's choice); the message names the group's benchmarks
   * @throws IllegalStateException when the group's own include patterns match no benchmark of JMH's list: the build
   *     that generated {@code META-INF/BenchmarkList} does not have them, which is no fault of the caller
   */
  public List<String> benchmarks() {
    final OutputFormat silent = OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT);
    final List<String> inGroup = new ArrayList<>();
    for (final BenchmarkListEntry entry : BenchmarkList.defaultList().find(silent, group.includes(), List.of())) {
      if (!inGroup.contains(entry.getUsername())) {
        inGroup.add(entry.getUsername());
      }
    }
    if (inGroup.isEmpty()) {
      throw new IllegalStateException("no benchmark of JMH's list matches the patterns " + group.includes()
          + " of group '" + group.name() + "': META-INF/BenchmarkList was generated without them (rebuild "
          + "quasi-bench)");
    }
    final List<String> chosen = inGroup.stream()
        .filter(name -> onlyPatterns.isEmpty() || onlyPatterns.stream().anyMatch(p -> p.matcher(name).find()))
        .collect(Collectors.toList());
    if (chosen.isEmpty()) {
      throw new NoMatchingBenchmarkException("no benchmark of group '" + group.name() + "' matches " + only
          + "; its benchmarks: " + inGroup.stream().map(BenchRun::shortName).collect(Collectors.joining(", ")));
    }
    return chosen;
  }

  /** Converts JMH's results; public so that callers holding results of their own can format them alike. */
  public static List<BenchRow> rows(final Collection<RunResult> results) {
    final List<BenchRow> rows = new ArrayList<>();
    for (final RunResult result : results) {
      final String benchmark = shortName(result.getParams().getBenchmark());
      final String mode = result.getParams().getMode().shortLabel();
      final Map<String, Result> secondaries = result.getSecondaryResults();
      final boolean grouped = !result.getParams().getThreadGroupLabels().isEmpty()
          && result.getParams().getThreadGroups().length > 1;
      if (grouped) {
        for (final Map.Entry<String, Result> e : secondaries.entrySet()) {
          if (result.getParams().getThreadGroupLabels().contains(e.getKey())) {
            rows.add(row(benchmark + ":" + e.getKey(), mode, e.getValue()));
          }
        }
      } else {
        rows.add(row(benchmark + params(result), mode, result.getPrimaryResult()));
      }
    }
    return rows;
  }

  private static BenchRow row(final String name, final String mode, final Result<?> r) {
    final double median = "sample".equals(mode) ? r.getStatistics().getPercentile(50) : Double.NaN;
    return new BenchRow(name, mode, r.getScore(), r.getScoreError(), median, r.getScoreUnit());
  }

  /** {@code package.Class.method} becomes {@code Class.method}. */
  private static String shortName(final String benchmark) {
    final int method = benchmark.lastIndexOf('.');
    final int type = benchmark.lastIndexOf('.', method - 1);
    return benchmark.substring(type + 1);
  }

  /** The benchmark's parameters as {@code [variant=quasi]}, or nothing when it has none. */
  private static String params(final RunResult result) {
    final Collection<String> keys = result.getParams().getParamsKeys();
    if (keys.isEmpty()) {
      return "";
    }
    final StringBuilder sb = new StringBuilder("[");
    for (final String key : keys) {
      sb.append(sb.length() > 1 ? "," : "").append(key).append('=').append(result.getParams().getParam(key));
    }
    return sb.append(']').toString();
  }
}
