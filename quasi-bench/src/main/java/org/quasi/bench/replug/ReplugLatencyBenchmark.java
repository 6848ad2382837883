package org.quasi.bench.replug;

import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.runtime.CountingReplugger;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;

/**
 * How long does one replug take while another thread keeps calling?
 *
 * <p>Each group runs two threads: one calls the function as fast as it can, the other replugs it back and forth
 * between two versions. A simple replug sets a call site's target, which makes HotSpot deoptimize the compiled
 * caller; a counting replug also waits until the caller has left the old version. We sample every replug and read
 * the median, since a replug occasionally lands on a safepoint already in progress.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplugLatencyBenchmark {

  /** Replugged back and forth while called. */
  static final SimpleReplugger<IntUnaryOperator> SIMPLE =
      Replugger.simple(IntUnaryOperator.class, Affine.FIRST);

  /** Its invoker, a constant to the JIT. */
  static final IntUnaryOperator SIMPLE_INVOKER = SIMPLE.invoker();

  /** Replugged back and forth while called. */
  static final CountingReplugger<IntUnaryOperator> COUNTING =
      Replugger.counting(IntUnaryOperator.class, Affine.FIRST);

  /** Its invoker, a constant to the JIT. */
  static final IntUnaryOperator COUNTING_INVOKER = COUNTING.invoker();

  /** The argument of the calling thread. */
  int x = 42;

  /** Which version the replugging thread plugs next. */
  boolean second;

  @Benchmark
  @Group("simple")
  @GroupThreads(1)
  public void simpleReplug() {
    second = !second;
    SIMPLE.replug(second ? Affine.SECOND : Affine.FIRST);
  }

  @Benchmark
  @Group("simple")
  @GroupThreads(1)
  public int simpleCall() {
    return SIMPLE_INVOKER.applyAsInt(x);
  }

  @Benchmark
  @Group("counting")
  @GroupThreads(1)
  public void countingReplug() {
    second = !second;
    COUNTING.replug(second ? Affine.SECOND : Affine.FIRST);
  }

  @Benchmark
  @Group("counting")
  @GroupThreads(1)
  public int countingCall() {
    return COUNTING_INVOKER.applyAsInt(x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench replug
   *
   * The rows that matter are simple:simpleReplug and counting:countingReplug, read at the median (p50). The call
   * rows are sampled too, but a single call is far below the timer's resolution; they are there to keep a caller
   * busy, not to be read. A counting replug costs a simple replug plus the wait for the caller's current call.
   */
}
