package org.quasi.bench.replug;

import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.runtime.FunctionPointer;
import org.quasi.runtime.Replugger;

/**
 * What does one call through each kind of replugger cost, next to a direct call?
 *
 * <p>We call the same small function ({@link Affine}) every way a system could: directly (the baseline), through an
 * interface held in a field, through a volatile function pointer, and through Quasi's three repluggers. The
 * repluggers' invokers sit in {@code static final} fields: that is the contract that lets C2 treat them as constants
 * and inline the plugged target through the call site. The counting replugger is measured with one and with two
 * threads calling at once, next to a direct call with two threads, because its cost is the per-thread bookkeeping
 * that must not turn into a shared cache line.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReplugCallBenchmark {

  /** A function pointer: Quasi's plain-field replugger. */
  static final FunctionPointer<IntUnaryOperator> POINTER =
      Replugger.functionPointer(IntUnaryOperator.class, Affine.FIRST);

  /** Its invoker, a constant to the JIT. */
  static final IntUnaryOperator POINTER_INVOKER = POINTER.invoker();

  /** A simple replugger's invoker, a constant to the JIT. */
  static final IntUnaryOperator SIMPLE =
      Replugger.simple(IntUnaryOperator.class, Affine.FIRST).invoker();

  /** A counting replugger's invoker, a constant to the JIT. */
  static final IntUnaryOperator COUNTING =
      Replugger.counting(IntUnaryOperator.class, Affine.FIRST).invoker();

  /** The argument; state, so that the JIT cannot fold the call. */
  int x = 42;

  /** An interface in an ordinary field: a monomorphic interface call. */
  IntUnaryOperator viaInterface = Affine.FIRST;

  /** The hand-written thread-safe alternative: a volatile field read on every call. */
  volatile IntUnaryOperator volatilePointer = Affine.FIRST;

  @Benchmark
  public int directCall() {
    return Affine.first(x);
  }

  @Benchmark
  public int interfaceCall() {
    return viaInterface.applyAsInt(x);
  }

  @Benchmark
  public int volatileFunctionPointer() {
    return volatilePointer.applyAsInt(x);
  }

  @Benchmark
  public int functionPointer() {
    return POINTER_INVOKER.applyAsInt(x);
  }

  @Benchmark
  public int simpleReplugger() {
    return SIMPLE.applyAsInt(x);
  }

  @Benchmark
  public int countingReplugger() {
    return COUNTING.applyAsInt(x);
  }

  @Benchmark
  @Threads(2)
  public int directCallTwoThreads() {
    return Affine.first(x);
  }

  @Benchmark
  @Threads(2)
  public int countingReplugger2Threads() {
    return COUNTING.applyAsInt(x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench replug            (or --quick)
   *
   * Read each row as a ratio to directCall. simpleReplugger should sit at directCall (C2 inlined the plugged target
   * through the constant call site); functionPointer and interfaceCall are close because the field never changes
   * here and C2 inlines behind a class check; volatileFunctionPointer pays the volatile read. The counting rows pay
   * one fence per call for the bookkeeping that lets replug wait for calls to leave: compare
   * countingReplugger2Threads with directCallTwoThreads, which the two threads share the cores for just the same.
   */
}
