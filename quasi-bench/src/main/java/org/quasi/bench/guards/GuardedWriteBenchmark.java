package org.quasi.bench.guards;

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
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;
import org.quasi.agent.WeavingClassLoader;

/**
 * What does a guarded write cost: on an object nothing relies on (the paper's one null check), in strict mode, for a
 * batch of adjacent writes, and when it invalidates a plugged version and replugs its fallback?
 *
 * <p>{@code plainWrite} stores into a {@link Cell} loaded as compiled; {@code guardedWriteUnspecialized} into a cell
 * woven by quasi-agent with no QUID (the volatile load of the QUID and the null check, then the store);
 * {@code guardedWriteStrict} into a cell woven in strict mode (then a full fence and a second test);
 * {@code guardedWriteInvalidating} into a woven cell on which a {@link Version} was plugged just before (set up per
 * invocation): the slow path, the invalidation and the replug (a deoptimization of whatever inlined the version).
 * {@code plainWrite3}, {@code guardedWrite3Batched} and {@code guardedWrite3BatchedStrict} store three fields of a
 * {@link Triple}: as compiled, woven (one QUID test for the three writes) and woven strict (one fence for the three).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GuardedWriteBenchmark {

  private final WeavingClassLoader loader = WovenClasses.loader();

  /** A plain cell, as compiled. */
  private final IntSink plain = new Cell();

  /** A woven cell nothing relies on. */
  private final IntSink woven = WovenClasses.newWovenCell(loader);

  /** The same, woven in strict mode. */
  private final IntSink wovenStrict = WovenClasses.newWovenCell(WovenClasses.loader(true));

  /** Three fields, as compiled. */
  private final IntSink plain3 = new Triple();

  /** Three fields, woven: one batch. */
  private final IntSink woven3 = WovenClasses.newWoven(loader, "Triple");

  /** Three fields, woven in strict mode: one batch, one fence. */
  private final IntSink woven3Strict = WovenClasses.newWoven(WovenClasses.loader(true), "Triple");

  private int x;

  /** A woven cell with a version plugged before each invocation; only {@code guardedWriteInvalidating} uses it. */
  @State(Scope.Thread)
  public static class Plugged {
    final IntSink guarded = WovenClasses.newWovenCell(WovenClasses.loader());
    final IntSupplier generic = guarded::get;
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, generic);

    @Setup(Level.Invocation)
    public void plugAVersion() {
      final int seen = guarded.get();
      final Version<IntSupplier> v = Version.of(replugger, () -> seen, generic, "cell " + seen);
      v.dependOn(guarded, guarded.getClass(), "value");
      if (!v.plug(() -> guarded.get() == seen)) {
        throw new IllegalStateException("the version was not plugged: nothing else writes the cell");
      }
    }
  }

  @Benchmark
  public void plainWrite() {
    plain.set(++x);
  }

  @Benchmark
  public void guardedWriteUnspecialized() {
    woven.set(++x);
  }

  @Benchmark
  public void guardedWriteStrict() {
    wovenStrict.set(++x);
  }

  @Benchmark
  public void guardedWriteInvalidating(final Plugged p) {
    p.guarded.set(++x);
  }

  @Benchmark
  public void plainWrite3() {
    plain3.set(++x);
  }

  @Benchmark
  public void guardedWrite3Batched() {
    woven3.set(++x);
  }

  @Benchmark
  public void guardedWrite3BatchedStrict() {
    woven3Strict.set(++x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench guards
   *
   * guardedWriteUnspecialized / plainWrite is the guard's cost on the common path (target <= 1.5x): a volatile load
   * of the QUID (a plain load on x86, but one the JIT may not hoist out of a loop) and a never-taken branch.
   * guardedWriteInvalidating is the whole slow path: the field guard's lock, the invalidation, and one replug of a
   * simple replugger, whose MutableCallSite.setTarget deoptimizes what inlined the version; expect microseconds.
   * Level.Invocation setup is legitimate here only because the measured operation is that long.
   *
   * guardedWriteStrict / guardedWriteUnspecialized is the price of closing the first-install race (Guards'
   * @implNote): a StoreLoad fence (a locked add on x86, several nanoseconds, more under contention on the cache
   * line of the stack) and a second QUID load. guardedWrite3Batched / plainWrite3 is the batch's cost: one QUID test
   * for three stores, so it should sit closer to 1 than the single write's ratio; guardedWrite3BatchedStrict pays
   * one fence for the three writes. The machine is shared: compare ratios from one run, not absolute numbers.
   */
}
