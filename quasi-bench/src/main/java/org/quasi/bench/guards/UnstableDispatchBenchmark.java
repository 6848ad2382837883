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
import org.quasi.agent.WeavingClassLoader;
import org.quasi.versions.EntryPoint;
import org.quasi.versions.EntryPolicy;

/**
 * What does a call cost once an entry point's inline cache has gone unstable, next to a stable one?
 *
 * <p>Keys that keep arriving (each run of the signals case boots a new kernel, so its tasks are new keys) rebuild the
 * cache; past its constant-chain budget the entry's function scans its rows at each call instead
 * ({@code EntryFunction}). Both rows here alternate between the same two specialized keys, as the signals case's
 * producer and consumer do (two processors whose {@code current} cells differ), on the {@link Processor#send} shape
 * (a field key read at dispatch, two primitive keys):
 * {@code stable} on an entry point that only ever saw those two keys, {@code unstable} on one that first saw forty
 * others come and go. {@code direct} calls the two specialized functions themselves, alternately.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UnstableDispatchBenchmark {

  /** Keys an entry point sees before the measured two: more than its cache rebuilds before going unstable. */
  private static final int CHURN = 40;

  private Processor.Send stable;
  private Processor.Send unstable;
  private Scaling.IntOp directA;
  private Scaling.IntOp directB;
  private Object processorA;
  private Object processorB;
  private boolean flip;
  private int x = 3;

  @Setup
  public void specialize() throws Exception {
    final WeavingClassLoader loader = WovenClasses.loader();
    final Class<?> scaling = loader.loadClass(Scaling.class.getName());
    final MethodHandles.Lookup lookup = (MethodHandles.Lookup) scaling.getMethod("lookup").invoke(null);
    final Class<?> processorClass = loader.loadClass(Processor.class.getName());
    final java.lang.reflect.Field current = processorClass.getField("current");
    final Object churning = processorClass.getConstructor().newInstance();
    final IntSink a = WovenClasses.newWovenCell(loader);
    a.set(7);
    final IntSink b = WovenClasses.newWovenCell(loader);
    b.set(7);
    this.processorA = processorClass.getConstructor().newInstance();
    this.processorB = processorClass.getConstructor().newInstance();
    current.set(processorA, a);
    current.set(processorB, b);
    final java.lang.reflect.Method send = processorClass.getMethod("send", int.class, int.class, int.class);
    final EntryPolicy policy = EntryPolicy.DEFAULT.withSpecializeAfter(1).withCounting(false);
    final EntryPoint<Processor.Send> stableEntry = EntryPoint.builder(lookup, send, Processor.Send.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(a.getClass(), "value")
        .policy(policy).build();
    final EntryPoint<Processor.Send> unstableEntry = EntryPoint.builder(lookup, send, Processor.Send.class)
        .keyField(0, "current").keys(1, 2).quasiInvariant(a.getClass(), "value")
        .policy(policy).build();
    this.stable = stableEntry.function();
    this.unstable = unstableEntry.function();
    for (int i = 0; i < CHURN; i++) {
      final IntSink other = WovenClasses.newWovenCell(loader);
      other.set(7);
      current.set(churning, other);
      unstable.send(churning, 7, 10, 1);
      unstable.send(churning, 7, 10, 1);
    }
    for (final Object p : new Object[] {processorA, processorB}) {
      for (int i = 0; i < 3; i++) {
        stable.send(p, 7, 10, 1);
        unstable.send(p, 7, 10, 1);
      }
    }
    this.directA = org.quasi.specializer.Specializer.of(lookup).method(send).known(0, processorA).known(1, 7)
        .known(2, 10).assumeField(processorA, processorClass, "current", a).quasiInvariant(a.getClass(), "value")
        .as(Scaling.IntOp.class).specialize().function();
    this.directB = org.quasi.specializer.Specializer.of(lookup).method(send).known(0, processorB).known(1, 7)
        .known(2, 10).assumeField(processorB, processorClass, "current", b).quasiInvariant(b.getClass(), "value")
        .as(Scaling.IntOp.class).specialize().function();
    if (stableEntry.counters().specializations() != 2 || unstableEntry.counters().specializations() < CHURN + 2) {
      throw new IllegalStateException("the entry points did not specialize as expected: " + stableEntry + ", "
          + unstableEntry);
    }
  }

  @Benchmark
  public int direct() {
    flip = !flip;
    return flip ? directA.apply(x) : directB.apply(x);
  }

  @Benchmark
  public int stable() {
    flip = !flip;
    return stable.send(flip ? processorA : processorB, 7, 10, x);
  }

  @Benchmark
  public int unstable() {
    flip = !flip;
    return unstable.send(flip ? processorA : processorB, 7, 10, x);
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench guards --only UnstableDispatch
   *
   * unstable - stable is what a call pays for an inline cache that keys kept rebuilding: a scan of its rows and an
   * interface call, where the stable cache compares constants. The signals case's Table 6 row makes about 200,000
   * such calls per run.
   */
}
