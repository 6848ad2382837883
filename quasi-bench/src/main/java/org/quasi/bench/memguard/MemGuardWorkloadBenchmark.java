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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.memguard.MemGuard;

/**
 * How much slower does a small program run under each MemGuard mechanism? The workload updates 256 cells
 * (read, add, write) and calls a specialized function 16 times; nothing in it writes a protected location, so every
 * mechanism is silent and what is measured is its overhead alone.
 *
 * <p>Variants: {@code plain} (as compiled), {@code guarded} (cells woven by quasi-agent), {@code trapped} (cells
 * trapped by MemGuard's agent rewriting while another object is protected: every write pays the identity lookup),
 * {@code verified} (plain cells; the specialized function verified by MemGuard on every call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemGuardWorkloadBenchmark {

  private static final int CELLS = 256;
  private static final int CALLS = 16;

  @Param({"plain", "guarded", "trapped", "verified"})
  public String variant;

  private IntCell[] cells;
  private IntSupplier function;
  private IntCell decoy;

  @Setup(Level.Trial)
  public void setUp() {
    final ClassLoader loader = switch (variant) {
      case "guarded" -> Cells.wovenLoader();
      case "trapped" -> Cells.trappingLoader();
      case "plain", "verified" -> null;
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    };
    cells = new IntCell[CELLS];
    for (int i = 0; i < CELLS; i++) {
      cells[i] = loader == null ? Cells.plain() : Cells.newCell(loader);
    }
    if (variant.equals("trapped")) {
      decoy = Cells.newCell(loader);
      MemGuard.enable();
      MemGuard.protect(decoy, "value");
    }
    if (variant.equals("verified")) {
      MemGuard.enable();
      MemGuard.verifyEvery(1);
    }
    function = Cells.specializedOnKey();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (decoy != null) {
      MemGuard.release(decoy, "value");
    }
    MemGuard.verifyEvery(0);
    MemGuard.disable();
  }

  @Benchmark
  public int workload() {
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
   *   ./quasi bench memguard
   *
   * The ratio of each variant to plain is the slowdown of running under that mechanism (the JDWP variant is
   * memguard-jdi's). guarded should be close to 1; trapped pays MemGuard's identity lookup on each of the 256 writes
   * (this is why the agent traps only the spec's fields when given a spec); verified pays the verifier's proxy and
   * re-read on each of the 16 calls. The loop is JMH-measured as a whole, which is the point: a program, not a write.
   */
}
