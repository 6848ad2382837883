package org.quasi.bench.signals;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.quasi.bench.BenchRun;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the signals group (Tables 3 to 6 of the paper) and prints the table beside the paper's figures.
 *
 * <p>{@code --quick} runs one fork with fewer, shorter iterations: a smoke run whose ratios are only indicative.
 * {@code ./quasi bench signals} runs the same benchmarks and checks the targets; this entry point adds the
 * paper's figures beside the measured ones.
 */
public final class SignalsBench {

  /** The group's benchmarks. */
  public static final String INCLUDE = "org\\.quasi\\.bench\\.signals\\..*";

  private SignalsBench() {
  }

  /**
   * Runs the group.
   *
   * @param args {@code --quick} for a short run
   * @throws RunnerException when JMH fails
   */
  public static void main(final String[] args) throws RunnerException {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    ChainedOptionsBuilder options = new OptionsBuilder().include(INCLUDE);
    if (quick) {
      options.forks(1).warmupIterations(2).measurementIterations(3)
          .warmupTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(500))
          .measurementTime(org.openjdk.jmh.runner.options.TimeValue.milliseconds(500));
    }
    Collection<RunResult> results = new Runner(options.build()).run();
    System.out.println();
    System.out.println(SignalsTable.format(BenchRun.rows(results)));
  }
}
