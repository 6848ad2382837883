package org.quasi.bench.memguard;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.quasi.memguard.MemGuard;

/**
 * How much slower does a program run under MemGuard's JDWP watch when it never writes a protected location?
 *
 * <p>The workload is {@link MemGuardWorkloadBenchmark}'s (256 cells read, added to and written; 16 calls of a
 * specialized function), on plain cells, in three forks: {@code workloadNoAgent} (as compiled: the baseline),
 * {@code workloadAgentLoaded} (the JDWP agent loaded, no debugger attached: the cost of the capabilities it takes at
 * start) and {@code workloadUnderJdwp} ({@link JdwpWatcher} attached as in {@link JdwpWriteBenchmark}, MemGuard
 * enabled and one other cell protected, so {@code MemCell.value} is watched: HotSpot runs the threads in
 * interpreter-only mode while field-modification events are enabled, and each of the 256 writes posts an event that
 * the agent's instance filter drops).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class JdwpWorkloadBenchmark {

  private static final int CELLS = 256;
  private static final int CALLS = 16;

  private final IntCell[] cells = new IntCell[CELLS];
  private final IntCell decoy = Cells.plain();
  private IntSupplier function;
  private JdwpWatcherProcess watcher;

  @Setup(Level.Trial)
  public void setUp(final BenchmarkParams params) throws Exception {
    for (int i = 0; i < CELLS; i++) {
      cells[i] = Cells.plain();
    }
    if (params.getBenchmark().endsWith("UnderJdwp")) {
      MemGuard.enable();
      watcher = JdwpWatcherProcess.start();
      MemGuard.protect(decoy, "value");
    }
    function = Cells.specializedOnKey();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
      MemGuard.release(decoy, "value");
      MemGuard.disable();
    }
  }

  @Benchmark
  @Fork(1)
  public int workloadNoAgent() {
    return workload();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {JdwpWatcherProcess.AGENT, JdwpWatcherProcess.EXPORTS})
  public int workloadAgentLoaded() {
    return workload();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {JdwpWatcherProcess.AGENT, JdwpWatcherProcess.EXPORTS})
  public int workloadUnderJdwp() {
    return workload();
  }

  /** The same loop as {@link MemGuardWorkloadBenchmark#workload()}. */
  private int workload() {
    int sum = 0;
    for (int i = 0; i < CELLS; i++) {
      final IntCell c = cells[i];
      c.set(c.get() + i);
    }
    for (int j = 0; j < CALLS; j++) {
      sum += function.getAsInt();
    }
    return sum;
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench memguard --only Jdwp
   *
   * workloadUnderJdwp / workloadNoAgent is the slowdown of a program run under ./quasi memguard --jdwp that never
   * writes a protected location: the interpreter instead of compiled code, and a JVMTI event per write of the watched
   * field, filtered inside the JDWP agent. workloadAgentLoaded / workloadNoAgent isolates what loading the agent alone
   * costs. Compare with MemGuardWorkloadBenchmark's variants (the agent traps, the verifier): the JDWP watch is the
   * expensive mechanism, for a guard-placement run only, as the paper says of MemGuard.
   */
}
