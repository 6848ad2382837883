package org.quasi.bench.typeguard;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.typeguard.TypeGuard;
import org.quasi.typeguard.TypeGuardReport;

/**
 * How long does TypeGuard take to check one quasi-invariant across a whole class path, and does the cost grow
 * linearly with the number of classes?
 *
 * <p>Each operation is one complete run, from reading the class files to the report, for the field
 * {@code java.lang.String.hash}, on two threads and a 1 GB heap (the budget). The two rows are two sizes of
 * the same kind of code, both read from the running JDK's image so every machine measures the same input:
 * {@code javaBase} (the java.base module) and {@code allJdkModules} (every module). A run is seconds long, so each
 * iteration is a single shot; the forked JVM warms up on the first ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx1g", "-XX:ActiveProcessorCount=2"})
public class TypeGuardScanBenchmark {

  /** The quasi-invariant every run checks. */
  private static final String FIELD = "java.lang.String.hash";

  private static TypeGuardReport run(final Set<String> modules) {
    final TypeGuardReport report = TypeGuard.builder().includeJdk(true).jdkModules(modules).field(FIELD)
        .parallelism(2).build().analyze();
    if (!report.problems().isEmpty() || report.fields().size() != 1) {
      throw new IllegalStateException("The benchmark's run is incomplete: " + report.problems());
    }
    return report;
  }

  @Benchmark
  public TypeGuardReport javaBase() {
    return run(Set.of("java.base"));
  }

  @Benchmark
  public TypeGuardReport allJdkModules() {
    return run(Set.of());
  }

  /** Prints the class counts of both sizes, to turn the scores into classes per second. */
  public static void main(final String[] args) {
    for (final Set<String> modules : List.of(Set.of("java.base"), Set.<String>of())) {
      System.out.println((modules.isEmpty() ? "all modules" : "java.base") + ": " + run(modules).classesAnalysed()
          + " classes");
    }
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench typeguard
   *
   * Scores are milliseconds per complete run. Divide the class count by the score for classes per second; the class
   * counts depend on the JDK and are printed by this class's main method (JDK 17.0.15: 6,444 classes in java.base,
   * 26,518 in all modules). Linear growth shows as allJdkModules / javaBase close to the ratio of the class counts
   * (4.1 on JDK 17). The figure, java.base plus Guava 33.8.0-jre within 10 s, is measured on the command
   * line (docs/typeguard.md, "Performance"), since Guava is not part of the JDK image this benchmark reads.
   */
}
