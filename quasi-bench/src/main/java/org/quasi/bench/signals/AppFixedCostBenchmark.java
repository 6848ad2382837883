package org.quasi.bench.signals;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/*
 * The question: what does the Quasi variant pay once per run of AppBenchmark's program, apart from its kills? Each
 * run boots a new kernel, so the producer's and the consumer's kills are new keys: the entry point makes two versions
 * (their dependencies registered on the ~60 tasks kill_proc walks), and the two exits at the end invalidate them. This
 * is the same program with 100 items instead of 100,000: the run is short enough that this fixed cost is most of it.
 * quasi minus hand, in microseconds, is the cost per run; AppBenchmark's runs pay it once each.
 *
 * Not a target of the paper (no row prints it beside the paper's figures).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class AppFixedCostBenchmark extends AppRunState {

  /** Items: few enough that the run is mostly the program's start and end. */
  public static final int ITEMS = 100;

  @Override
  protected int items() {
    return ITEMS;
  }

  @Benchmark
  public long shortRun() {
    return run.onTheModel();
  }

  /*
   * HOW TO RUN AND READ
   *
   * ./quasi bench signals --only AppFixedCostBenchmark runs it alone. The score is one run of the 100-item program in
   * µs: read the median (p0.50) next to the mean, as collections and compilations land in the tail. generic and hand
   * differ by the kill path only (a few hundred kills); quasi - hand is what the version manager spends per run: two
   * versions made, two invalidated.
   */
}
