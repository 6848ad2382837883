package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Concurrent callers and a replugging thread, checking the repluggers' promises:
 *
 * <ol>
 *   <li>no call that starts after {@code replug} has returned runs the old version (every kind but the function
 *       pointer);</li>
 *   <li>no call is still inside the old version when {@code replug} returns (counting replugger only);</li>
 *   <li>no call is lost: every call made returns from exactly one version;</li>
 *   <li>in-flight counts return to zero.</li>
 * </ol>
 *
 * <p>The same checks run against {@link NonWaitingCountingReplugger}, which must fail the second one: a check that
 * cannot catch that bug would prove nothing.
 */
class ReplugConcurrencyTest {

  /** Callers calling at once; two cores, so two callers and the replugger already oversubscribe them. */
  private static final int CALLERS = 2;

  /** Replugs per run. */
  private static final int REPLUGS = 150;

  /** How long each call stays inside its version, so that replugs land while calls are inside. */
  private static final long CALL_NANOS = 30_000;

  /** One plugged version: records who is inside it and when it was retired. */
  static final class Version implements IntUnaryOperator {
    final int id;
    final AtomicInteger inside = new AtomicInteger();
    final AtomicLong completed = new AtomicLong();

    /** The replug epoch from which on no new call may run this version; 0 while it is current. */
    volatile long retiredAt;

    Version(final int id) {
      this.id = id;
    }

    @Override
    public int applyAsInt(final int x) {
      inside.incrementAndGet();
      final long end = System.nanoTime() + CALL_NANOS;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      inside.decrementAndGet();
      completed.incrementAndGet();
      return id;
    }
  }

  /** What the runs found. */
  record Findings(long calls, long completed, int startedAfterReplug, int insideAfterReplug, int threadsInside) {}

  /** The two operations a replugger under test offers, and its in-flight count. */
  interface Subject {
    IntUnaryOperator invoker();

    void replug(IntUnaryOperator target);

    IntSupplier threadsInside();
  }

  @Test
  void simpleRepluggerNeverStartsACallInTheOldVersion() throws Exception {
    final List<Version> versions = versions();
    final SimpleReplugger<IntUnaryOperator> r = Replugger.simple(IntUnaryOperator.class, versions.get(0));
    final Findings f = run(versions, subject(r.invoker(), r::replug, () -> 0));
    assertThat(f.startedAfterReplug()).as("calls started after replug returned, in the old version").isZero();
    assertThat(f.completed()).as("calls completed").isEqualTo(f.calls());
  }

  @Test
  void countingRepluggerWaitsForEveryCallToLeave() throws Exception {
    final List<Version> versions = versions();
    final CountingReplugger<IntUnaryOperator> r = Replugger.counting(IntUnaryOperator.class, versions.get(0));
    final Findings f = run(versions, subject(r.invoker(), r::replug, r::threadsInside));
    assertThat(f.startedAfterReplug()).as("calls started after replug returned, in the old version").isZero();
    assertThat(f.insideAfterReplug()).as("replugs that returned with a call inside the old version").isZero();
    assertThat(f.completed()).as("calls completed").isEqualTo(f.calls());
    assertThat(f.threadsInside()).as("threads inside at the end").isZero();
  }

  @Test
  void theChecksCatchAReplugThatDoesNotWait() throws Exception {
    final List<Version> versions = versions();
    final NonWaitingCountingReplugger broken = new NonWaitingCountingReplugger(versions.get(0));
    final Findings f = run(versions, subject(broken.invoker(), broken::replug, broken::threadsInside));
    assertThat(f.insideAfterReplug()).as("replugs that returned with a call inside the old version").isPositive();
    assertThat(f.completed()).isEqualTo(f.calls());
  }

  private static List<Version> versions() {
    final List<Version> versions = new ArrayList<>();
    for (int i = 0; i <= REPLUGS; i++) {
      versions.add(new Version(i));
    }
    return versions;
  }

  private static Subject subject(final IntUnaryOperator invoker, final java.util.function.Consumer<IntUnaryOperator>
      replug, final IntSupplier threadsInside) {
    return new Subject() {
      @Override
      public IntUnaryOperator invoker() {
        return invoker;
      }

      @Override
      public void replug(final IntUnaryOperator target) {
        replug.accept(target);
      }

      @Override
      public IntSupplier threadsInside() {
        return threadsInside;
      }
    };
  }

  /** Runs the callers against the replugging thread and collects what they saw. */
  private static Findings run(final List<Version> versions, final Subject subject) throws InterruptedException {
    final AtomicLong epoch = new AtomicLong();
    final AtomicInteger startedAfterReplug = new AtomicInteger();
    final AtomicLong calls = new AtomicLong();
    final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    final List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < CALLERS; c++) {
      final Thread t = new Thread(() -> {
        while (!done.get()) {
          final long startedAt = epoch.get();
          final Version ran = versions.get(subject.invoker().applyAsInt(0));
          calls.incrementAndGet();
          final long retiredAt = ran.retiredAt;
          if (retiredAt != 0 && startedAt >= retiredAt) {
            startedAfterReplug.incrementAndGet();
          }
        }
      }, "caller-" + c);
      t.start();
      callers.add(t);
    }
    int insideAfterReplug = 0;
    for (int i = 1; i <= REPLUGS; i++) {
      final Version old = versions.get(i - 1);
      subject.replug(versions.get(i));
      if (old.inside.get() != 0) {
        insideAfterReplug++;
      }
      old.retiredAt = epoch.get() + 1;
      epoch.incrementAndGet();
      final long pause = System.nanoTime() + 3 * CALL_NANOS;
      while (System.nanoTime() < pause) {
        Thread.onSpinWait();
      }
    }
    done.set(true);
    for (final Thread t : callers) {
      t.join();
    }
    long completed = 0;
    for (final Version v : versions) {
      completed += v.completed.get();
    }
    return new Findings(calls.get(), completed, startedAfterReplug.get(), insideAfterReplug,
        subject.threadsInside().getAsInt());
  }
}
