package org.quasi.bench.signals;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Population;
import org.quasi.cases.signals.RunLoop;
import org.quasi.cases.signals.Variant;
import org.quasi.cases.signals.app.ProducerConsumer;

/*
 * The question: what does the Quasi variant pay once per run of AppBenchmark's program, apart from its kills? Each
 * run boots a new kernel, so the producer's and the consumer's kills are new keys: the entry point makes two versions
 * (their dependencies registered on the ~60 tasks kill_proc walks), and the two exits at the end invalidate them. This
 * is the same program with 100 items instead of 100,000: the run is short enough that this fixed cost is most of it.
 * quasi minus hand, in microseconds, is the cost per run; AppBenchmark's runs pay it once each.
 *
 * Not a target of the paper (no row prints it beside the paper's figures).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class AppFixedCostBenchmark {

  /** Items: few enough that the run is mostly the program's start and end. */
  public static final int ITEMS = 100;

  /** Which kernel: a {@link Variant}'s parameter name. */
  @Param({"generic", "hand", "quasi"})
  public String variant;

  private Kernel kernel;
  private ProducerConsumer program;

  @Setup(Level.Invocation)
  public void boot() {
    kernel = Variant.named(variant).boot();
    Population.background(kernel, SignalLatencyBenchmark.MULTI_USER_PROCESSES - 2);
    program = ProducerConsumer.start(kernel, ITEMS, AppBenchmark.SLOTS);
  }

  @Benchmark
  public long shortRun() {
    long steps = RunLoop.run(kernel, Long.MAX_VALUE);
    if (program.consumed() != ITEMS || program.outOfOrder() != 0) {
      throw new IllegalStateException("the consumer got " + program.consumed() + " items, "
          + program.outOfOrder() + " out of order; expected " + ITEMS + " in order");
    }
    return steps;
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
