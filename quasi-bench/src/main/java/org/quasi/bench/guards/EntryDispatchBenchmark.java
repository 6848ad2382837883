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
 *
 * <p>The {@code MultiKey} rows ask the same for the signals case's key shape ({@link Processor#send}): a field of the
 * receiver read at dispatch ({@code this.current}), two primitive keys and one argument left unknown; the version
 * folds the comparison with the current cell's value, so the specialized code is {@code sig * x + 1}.
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

  private Object processor;
  private Scaling.IntOp directMultiKey;
  private Processor.Send entryMultiKey;
  private Processor.Send entryMultiKeySimple;

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
        .keys(0).quasiInvariant(cellClass, "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    this.entry = ep.function();
    final EntryPoint<Scaling.Scale> simple = EntryPoint.builder(lookup,
            scaling.getMethod("scale", cellClass, int.class), Scaling.Scale.class)
        .keys(0).quasiInvariant(cellClass, "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    this.entrySimple = simple.function();
    entry.apply(cell, 1);
    entrySimple.apply(cell, 1);
    if (ep.counters().specializations() != 1 || simple.counters().specializations() != 1) {
      throw new IllegalStateException("the entry points did not specialize: " + ep + ", " + simple);
    }
    specializeMultiKey(loader, lookup, c);
  }

  private void specializeMultiKey(final WeavingClassLoader loader, final MethodHandles.Lookup lookup,
      final IntSink c) throws Exception {
    final Class<?> processorClass = loader.loadClass(Processor.class.getName());
    final Object p = processorClass.getConstructor().newInstance();
    processorClass.getField("current").set(p, c);
    this.processor = p;
    final java.lang.reflect.Method send = processorClass.getMethod("send", int.class, int.class, int.class);
    this.directMultiKey = Specializer.of(lookup).method(send).known(0, p).known(1, 7).known(2, 10)
        .assumeField(p, processorClass, "current", c).quasiInvariant(c.getClass(), "value")
        .as(Scaling.IntOp.class).specialize().function();
    final EntryPoint<Processor.Send> counting = EntryPoint.builder(lookup, send, Processor.Send.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(c.getClass(), "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1)).build();
    final EntryPoint<Processor.Send> simple = EntryPoint.builder(lookup, send, Processor.Send.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(c.getClass(), "value")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false)).build();
    this.entryMultiKey = counting.function();
    this.entryMultiKeySimple = simple.function();
    if (entryMultiKey.send(p, 7, 10, 1) != 11 || entryMultiKeySimple.send(p, 7, 10, 1) != 11
        || directMultiKey.apply(1) != 11 || counting.counters().specializations() != 1
        || simple.counters().specializations() != 1) {
      throw new IllegalStateException("the multi-key entry points did not specialize: " + counting + ", " + simple);
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

  @Benchmark
  public int directSpecializedMultiKey() {
    return directMultiKey.apply(x);
  }

  @Benchmark
  public int entryDispatchMultiKey() {
    return entryMultiKey.send(processor, 7, 10, x);
  }

  @Benchmark
  public int entryDispatchMultiKeySimpleReplugger() {
    return entryMultiKeySimple.send(processor, 7, 10, x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench guards
   *
   * entryDispatch / directSpecialized is what the version manager adds per call (target <= 1.1x): the inline cache
   * (the key compares against constants, a plain hit count, a call through the key's replugger invoker, all
   * inlined by C2) plus, by default, the counting replugger's per-call bookkeeping (one atomic exchange, ~5 ns on a
   * 2-core VM). The SimpleReplugger rows show the dispatch alone. The MultiKey rows are the same question for a
   * field key read at dispatch and two primitive keys (four compares: the receiver, its current cell, pid, sig).
   */
}
