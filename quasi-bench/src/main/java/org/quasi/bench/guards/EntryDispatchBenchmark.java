package org.quasi.bench.guards;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.specializer.Specializer;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPolicy;
import org.quasi.agent.WeavingClassLoader;

/**
 * What does calling through a specialized entry point cost, next to calling the specialized code directly?
 *
 * <p>Both rows run {@link Scaling#scale} specialized on a woven cell's quasi-invariant value: {@code directSpecialized}
 * calls the specializer's function itself, {@code entryDispatch} calls the {@link EntryPoint}, which finds the key's
 * version and calls it: {@code entryDispatch} with the default policy (counting repluggers: a guarded write waits
 * for calls inside the old version, which costs a fence per call), {@code entryDispatchSimpleReplugger} without.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EntryDispatchBenchmark {

  private Object cell;
  private Scaling.IntOp direct;
  private Scaling.Scale entry;
  private Scaling.Scale entrySimple;
  private int x = 3;

  @Setup
  public void specialize() throws Exception {
    final WeavingClassLoader loader = WovenClasses.loader();
    final IntSink c = WovenClasses.newWovenCell(loader);
    c.set(7);
    this.cell = c;
    final Class<?> cellClass = c.getClass();
    final Class<?> scaling = loader.loadClass(Scaling.class.getName());
    final MethodHandles.Lookup lookup = (MethodHandles.Lookup) scaling.getMethod("lookup").invoke(null);
    this.direct = Specializer.of(lookup).method(scaling, "scale", cellClass, int.class).known(0, c)
        .quasiInvariant(cellClass, "value").as(Scaling.IntOp.class).specialize().function();
    final EntryPoint<Scaling.Scale> ep = EntryPoint.builder(lookup,
            scaling.getMethod("scale", cellClass, int.class), Scaling.Scale.class)
        .keys(0).residual(Scaling.IntOp.class).quasiInvariant(cellClass, "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    this.entry = ep.function();
    final EntryPoint<Scaling.Scale> simple = EntryPoint.builder(lookup,
            scaling.getMethod("scale", cellClass, int.class), Scaling.Scale.class)
        .keys(0).residual(Scaling.IntOp.class).quasiInvariant(cellClass, "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    this.entrySimple = simple.function();
    entry.apply(cell, 1);
    entrySimple.apply(cell, 1);
    if (ep.counters().specializations() != 1 || simple.counters().specializations() != 1) {
      throw new IllegalStateException("the entry points did not specialize: " + ep + ", " + simple);
    }
  }

  @Benchmark
  public int directSpecialized() {
    return direct.apply(x);
  }

  @Benchmark
  public int entryDispatch() {
    return entry.apply(cell, x);
  }

  @Benchmark
  public int entryDispatchSimpleReplugger() {
    return entrySimple.apply(cell, x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench guards
   *
   * entryDispatch / directSpecialized is what the version manager adds per call (target <= 1.1x): the generated
   * inline cache (an identity compare, an unsynchronized hit count, an interface call on the key's replugger
   * invoker) plus, by default, the counting replugger's per-call bookkeeping (one atomic exchange). The
   * SimpleReplugger row shows the dispatch alone.
   */
}
