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
import org.quasi.memguard.MemGuard;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.internal.Traps;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;

/**
 * What does one write cost under each MemGuard mechanism: the paper's Table 1 (a normal write, 2 cycles; a write
 * trapped by page protection, 1,971 cycles) for the JVM?
 *
 * <p>Rows: {@code plainWrite} (a field store as compiled); {@code guardedWrite} (the same store woven by quasi-agent,
 * nothing relies on the object); {@code trappedWriteDisarmed} (trapped by MemGuard's agent rewriting, nothing
 * protected: one volatile read); {@code trappedWriteUnprotected} (trapped, MemGuard armed because another object is
 * protected: the identity lookup); {@code trappedWriteReported} (a write to a protected object: the report with its
 * stack, the real analogue of the paper's trap). The verifier costs per checked call, not per write:
 * {@code versionCall} calls a plugged specialized version, {@code verifiedCall} the same version wrapped by the
 * verifier checking its one dependency on every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemGuardWriteBenchmark {

  private final IntCell plain = Cells.plain();
  private final IntCell woven = Cells.newCell(Cells.wovenLoader());
  private int x;

  /** A trapped cell with MemGuard enabled and nothing protected. */
  @State(Scope.Thread)
  public static class Disarmed {
    final IntCell cell = Cells.newCell(Cells.trappingLoader());

    @Setup(Level.Trial)
    public void enable() {
      MemGuard.enable();
    }

    @TearDown(Level.Trial)
    public void disable() {
      MemGuard.disable();
    }
  }

  /** A trapped cell, unprotected, while another object of its class is protected. */
  @State(Scope.Thread)
  public static class Armed {
    final ClassLoader loader = Cells.trappingLoader();
    final IntCell cell = Cells.newCell(loader);
    final IntCell decoy = Cells.newCell(loader);

    @Setup(Level.Trial)
    public void protectAnother() {
      MemGuard.enable();
      MemGuard.protect(decoy, "value");
    }

    @TearDown(Level.Trial)
    public void disable() {
      MemGuard.release(decoy, "value");
      MemGuard.disable();
    }
  }

  /** A trapped, protected cell; the log is replaced before each write so that it does not grow. */
  @State(Scope.Thread)
  public static class Reported {
    final IntCell cell = Cells.newCell(Cells.trappingLoader());
    MemGuardLog log;

    @Setup(Level.Trial)
    public void protect() {
      MemGuard.enable();
      MemGuard.protect(cell, "value");
    }

    @Setup(Level.Invocation)
    public void freshLog() {
      log = new MemGuardLog();
      Traps.useLog(log);
    }

    @TearDown(Level.Trial)
    public void disable() {
      if (log.count() != 1) {
        throw new IllegalStateException("the protected write was not reported exactly once: " + log.count());
      }
      MemGuard.release(cell, "value");
      MemGuard.disable();
    }
  }

  /** A plugged version relying on a cell's value, verified on every call or not at all. */
  @State(Scope.Thread)
  public static class Specialized {
    final IntCell cell = Cells.plain();
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, cell::get);
    final IntSupplier invoker = replugger.invoker();

    /** Plugs the version, verified (every call) when {@code verify}. */
    void plug(final boolean verify) {
      if (verify) {
        MemGuard.enable();
        MemGuard.verifyEvery(1);
      }
      final int seen = cell.get();
      final Version<IntSupplier> v = Version.of(replugger, () -> seen + 1, cell::get, "cell " + seen);
      v.dependOn(cell, MemCell.class, "value");
      if (!v.plug(() -> cell.get() == seen)) {
        throw new IllegalStateException("the version was not plugged: nothing else writes the cell");
      }
    }

    @TearDown(Level.Trial)
    public void disable() {
      MemGuard.verifyEvery(0);
      MemGuard.disable();
    }
  }

  /** {@link Specialized}, unverified. */
  @State(Scope.Thread)
  public static class Unverified extends Specialized {
    @Setup(Level.Trial)
    public void plugIt() {
      plug(false);
    }
  }

  /** {@link Specialized}, verified on every call. */
  @State(Scope.Thread)
  public static class Verified extends Specialized {
    @Setup(Level.Trial)
    public void plugIt() {
      plug(true);
    }
  }

  @Benchmark
  public void plainWrite() {
    plain.set(++x);
  }

  @Benchmark
  public void guardedWrite() {
    woven.set(++x);
  }

  @Benchmark
  public void trappedWriteDisarmed(final Disarmed s) {
    s.cell.set(++x);
  }

  @Benchmark
  public void trappedWriteUnprotected(final Armed s) {
    s.cell.set(++x);
  }

  @Benchmark
  public void trappedWriteReported(final Reported s) {
    s.cell.set(++x);
  }

  @Benchmark
  public int versionCall(final Unverified s) {
    return s.invoker.getAsInt();
  }

  @Benchmark
  public int verifiedCall(final Verified s) {
    return s.invoker.getAsInt();
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench memguard
   *
   * Read every row against plainWrite (the paper's 2-cycle normal write). guardedWrite and trappedWriteDisarmed
   * should be within a few tenths of a nanosecond of it: a volatile load and a branch. trappedWriteUnprotected adds
   * MemGuard's identity lookup (a synchronized weak table): the price every write to a trapped class pays while
   * anything is protected. trappedWriteReported is the paper's 1,971-cycle trap: here a Throwable's stack, the old
   * and new value as text and a log entry, so microseconds; it uses Level.Invocation setup (a fresh log per write),
   * legitimate only because the operation is that long. verifiedCall - versionCall is the verifier's cost per
   * checked call with one dependency (a method-handle proxy and one reflective read); with --verify-every N it is
   * paid once every N calls.
   */
}
