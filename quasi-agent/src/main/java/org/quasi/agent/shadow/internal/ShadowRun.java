package org.quasi.agent.shadow.internal;

import java.lang.invoke.CallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import org.quasi.agent.shadow.ShadowOptions;
import org.quasi.agent.shadow.ShadowReport;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.internal.Worker;

/**
 * The state of shadow mode in one JVM: the probed methods, the sampling, and the trials of sampled invocations.
 *
 * <p>Sampling: each method's invocations are counted at its entry; the distance from one sampled invocation to the
 * next is drawn from a hash of the seed, the method's name and the invocation's number, uniform in 1 .. 2N-1 (one in N
 * on average), until the method was shadowed {@code maxPerMethod} times. One invocation is shadowed at a time: a
 * sampled invocation that finds another in progress (another thread) is not compared, and counted as such; so are
 * invocations made while a static initializer is running in the calling thread (the shadow's thread would wait for
 * that initialization to finish). Invocations made by the shadow's own runs are not sampled.
 *
 * <p>Nothing here throws into the program: every failure of the shadow is caught and counted as a crash.
 */
public final class ShadowRun {
  private static final MethodHandle SAMPLE;
  private static final MethodHandle ENTER;

  static {
    final MethodHandles.Lookup l = MethodHandles.lookup();
    try {
      SAMPLE = l.findVirtual(ShadowRun.class, "sample", MethodType.methodType(boolean.class, int.class));
      ENTER = l.findVirtual(ShadowRun.class, "enter", MethodType.methodType(void.class, int.class, Object[].class,
          MethodHandles.Lookup.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** Set on the shadow's worker thread while it runs program code: probes met there are not sampled. */
  static final ThreadLocal<Boolean> IN_SHADOW = new ThreadLocal<>();

  private final ShadowOptions options;
  private final ShadowTally tally = new ShadowTally();
  private final ReentrantLock trialLock = new ReentrantLock();
  private final Worker worker = new Worker();
  /** Copy on write under {@code this}: {@link #sample} reads it without a lock on every probed entry. */
  private volatile ShadowedMethod[] methods = new ShadowedMethod[0];
  /** Run after each trial, under the trial lock (the agent writes the report so far from there). */
  private volatile Runnable afterTrial = () -> { };

  public ShadowRun(final ShadowOptions options) {
    this.options = options;
  }

  /** The options of this run. */
  public ShadowOptions options() {
    return options;
  }

  /** Counts a method considered for probing, with why it was not probed (null: it was). */
  void seen(final String screenProblem) {
    tally.seen(screenProblem);
  }

  /** Registers a method to probe; returns its probe number. */
  synchronized int register(final String owner, final String name, final String desc) {
    final ShadowedMethod[] grown = Arrays.copyOf(methods, methods.length + 1);
    final ShadowedMethod m = new ShadowedMethod(owner, name, desc);
    m.next = gap(m.hash, -1) - 1;
    grown[methods.length] = m;
    methods = grown;
    return methods.length - 1;
  }

  /**
   * The call site of method {@code id}'s probe ({@link org.quasi.agent.shadow.ShadowHook#probe}), of {@code type}:
   * <pre>{@code (this, args..) -> { if (sample(id)) enter(id, new Object[] {this, args..}, caller); } }</pre>
   * until the method is done, then a no-op. The site is the invokedynamic's own, so its target is a constant to the
   * JIT: the no-op costs nothing, and the counting before it what {@link #sample} costs.
   */
  public CallSite probeSite(final int id, final MethodHandles.Lookup caller, final MethodType type) {
    final MethodHandle test = MethodHandles.dropArguments(MethodHandles.insertArguments(SAMPLE, 0, this, id), 0,
        type.parameterList());
    // enter(id, arguments, caller) on the arguments boxed into an array, the receiver first.
    final MethodHandle enter = MethodHandles.insertArguments(MethodHandles.insertArguments(ENTER, 0, this, id), 1,
        caller).asCollector(Object[].class, type.parameterCount()).asType(type);
    return methods[id].link(new MutableCallSite(
        MethodHandles.guardWithTest(test, enter, MethodHandles.empty(type))));
  }

  /** See {@link org.quasi.agent.shadow.ShadowHook#sample}. */
  public boolean sample(final int id) {
    final ShadowedMethod[] ms = methods;
    if (id >= ms.length) {
      return false; // Not yet visible to this thread: the class was probed an instant ago.
    }
    final ShadowedMethod m = ms[id];
    final long k = m.invocations++;
    if (k != m.next) {
      return false;
    }
    m.next = k + gap(m.hash, k);
    return !m.full;
  }

  /** See {@link org.quasi.agent.shadow.ShadowHook#enter}. */
  public void enter(final int id, final Object[] arguments, final MethodHandles.Lookup lookup) {
    final long start = System.nanoTime();
    ShadowedMethod m = null;
    try {
      m = methods[id];
      if (IN_SHADOW.get() != null) {
        return; // The shadow's own run of a method calls this one: not a sample of the program.
      }
      tally.sampled();
      if (!trialLock.tryLock()) {
        tally.skipped("another invocation was being shadowed (another thread)");
        return;
      }
      try {
        if (m.shadowed.incrementAndGet() >= options.maxPerMethod()) {
          m.done();
        }
        if (StackWalker.getInstance().walk(s -> s.anyMatch(f -> f.getMethodName().equals("<clinit>")))) {
          tally.skipped("called during a static initialization (the shadow's thread would wait for it)");
          return;
        }
        new ShadowTrial(worker, tally, m, trialSeed(m.hash, m.invocations), arguments, lookup).run();
        afterTrial.run();
      } finally {
        trialLock.unlock();
      }
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): the shadow never throws into the program, whatever went wrong in it.
      try {
        tally.crashed(new Crash(m == null ? "probe " + id : m.display(), options.seed(), "shadow", t.toString()));
      } catch (Throwable ignored) {
        // DontCheck(IllegalCatch): even counting failed (no memory left): nothing more to do.
      }
    } finally {
      tally.spent(System.nanoTime() - start);
    }
  }

  /**
   * The report so far.
   *
   * @param complete whether it is the report at the program's exit ({@link ShadowReport#complete})
   */
  public ShadowReport report(final boolean complete) {
    long invocations = 0;
    for (final ShadowedMethod m : methods) {
      invocations += m.invocations;
    }
    return tally.report(options, invocations, complete);
  }

  /** Sets what runs after each trial, on the sampled invocation's thread, under the trial lock. */
  public void afterTrial(final Runnable action) {
    afterTrial = action;
  }

  /** Stops the shadow's worker thread. */
  public void close() {
    worker.close();
  }

  ShadowTally tally() {
    return tally;
  }

  /**
   * The distance from sampled invocation {@code k} to the next one: drawn from the seed, the method and {@code k},
   * uniform in 1 .. 2N-1, so that one invocation in N is sampled on average.
   */
  private long gap(final long methodHash, final long k) {
    final long n = options.sample();
    return n == 1 ? 1 : 1 + Long.remainderUnsigned(mix(options.seed() ^ methodHash ^ (k * 0x9E3779B97F4A7C15L)),
        2 * n - 1);
  }

  private long trialSeed(final long methodHash, final long invocation) {
    return mix(options.seed() ^ (methodHash * 0xC2B2AE3D27D4EB4FL) ^ invocation);
  }

  /** SplitMix64's finalizer: neighbouring inputs give unrelated outputs. */
  private static long mix(final long x) {
    long z = x;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
