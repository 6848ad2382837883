package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Background specialization ({@link EntryPolicy#background}): queued, generic until plugged, and every race. */
class BackgroundEntryTest {

  private static final EntryPolicy BACKGROUND = EntryPolicy.DEFAULT.withBackground(true).withCounting(false);

  /** An executor that holds its jobs until the test runs them: the test decides when "later" is. */
  private static final class HeldJobs implements Executor {
    final List<Runnable> jobs = new ArrayList<>();

    @Override
    public synchronized void execute(final Runnable job) {
      jobs.add(job);
    }

    void runAll() {
      final List<Runnable> now;
      synchronized (this) {
        now = new ArrayList<>(jobs);
        jobs.clear();
      }
      now.forEach(Runnable::run);
    }

    synchronized int size() {
      return jobs.size();
    }
  }

  private static EntryPointBuilder<Rules.Filter> builder(final EntryPolicy policy) throws Exception {
    return EntryPoint.builder(MethodHandles.lookup(), Rules.class.getMethod("accept", Rule.class, int.class),
            Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "port").policy(policy);
  }

  /** Waits at most ten seconds for {@code condition}; the assertion after it says what was expected. */
  private static void await(final BooleanSupplier condition) {
    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      // Parks rather than spins: on two cores a spinning test thread would take the specializer's CPU.
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  @Test
  void aKeyPastTheThresholdRunsGenericUntilItsJobPlugsTheVersion() throws Exception {
    final HeldJobs jobs = new HeldJobs();
    final EntryPoint<Rules.Filter> entry = builder(BACKGROUND.withSpecializeAfter(2)).specializeIn(jobs).build();
    final Rules.Filter f = entry.function();
    final Rule rule = new Rule(80);
    assertThat(f.accept(rule, 80)).isTrue();
    assertThat(f.accept(rule, 81)).isFalse(); // crosses the threshold: queued, not made
    assertThat(jobs.size()).isEqualTo(1);
    assertThat(f.accept(rule, 80)).isTrue();
    EntryCounters c = entry.counters();
    assertThat(c.queued()).isEqualTo(1);
    assertThat(c.specializations()).isZero();
    assertThat(c.genericCalls()).isEqualTo(3);
    assertThat(c.specializedCalls()).isZero();
    assertThat(jobs.size()).as("calls of a queued key queue nothing more").isEqualTo(1);

    jobs.runAll();

    assertThat(f.accept(rule, 80)).isTrue();
    assertThat(f.accept(rule, 79)).isFalse();
    c = entry.counters();
    assertThat(c.specializations()).isEqualTo(1);
    assertThat(c.specializedCalls()).isEqualTo(2);
    assertThat(c.genericCalls()).isEqualTo(3);
    assertThat(c.calls()).isEqualTo(5);

    rule.setPort(79); // the plugged version is guarded as any other
    assertThat(entry.counters().invalidations()).isEqualTo(1);
    assertThat(f.accept(rule, 79)).isTrue();
  }

  @Test
  void quasiOwnSpecializerThreadPlugsTheVersionAndTheEventNamesIt(@TempDir final Path dir) throws Exception {
    final EntryPoint<Rules.Filter> entry = builder(BACKGROUND.withSpecializeAfter(1)).build();
    final Rules.Filter f = entry.function();
    final Rule rule = new Rule(80);
    final Path file = dir.resolve("background.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("org.quasi.Specialize").withoutThreshold();
      recording.start();
      assertThat(f.accept(rule, 80)).isTrue();
      await(() -> entry.counters().specializations() == 1);
      recording.stop();
      recording.dump(file);
    }
    assertThat(entry.counters().specializations()).isEqualTo(1);
    // The crossing call ran the version if the job plugged it before that call reached the replugger.
    final long before = entry.counters().specializedCalls();
    assertThat(f.accept(rule, 80)).isTrue();
    assertThat(entry.counters().specializedCalls()).isEqualTo(before + 1);
    final List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().equals("org.quasi.Specialize")).toList();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getString("outcome")).isEqualTo("plugged");
    assertThat(events.get(0).getBoolean("background")).isTrue();
    assertThat(events.get(0).getString("thread")).startsWith("quasi-specializer-");
    assertThat(events.get(0).getThread().getJavaName()).startsWith("quasi-specializer-");
  }

  @Test
  void aGuardedWriteDuringABackgroundSpecializationDiscardsIt() throws Exception {
    // The writer increments the port while the job runs: whatever value the specializer read, a later one is in the
    // field (or a write fired the version's guard) by the plug, so the version is discarded as raced. Each attempt
    // uses a new key; the writer may be descheduled through a whole job, hence several attempts.
    for (int attempt = 0; attempt < 20; attempt++) {
      final HeldJobs jobs = new HeldJobs();
      final EntryPoint<Rules.Filter> entry = builder(BACKGROUND.withSpecializeAfter(1)).specializeIn(jobs).build();
      final Rules.Filter f = entry.function();
      final Rule rule = new Rule(0);
      // Queuing installs the key's QUID in this thread, so every write below takes the guarded path (otherwise a
      // write that tested it null could store on the plain path after the plug: the fast-path race Guards documents).
      assertThat(f.accept(rule, 0)).isTrue();
      assertThat(org.quasi.runtime.Guards.existingQuid(rule)).isNotNull();
      final CountDownLatch writing = new CountDownLatch(1);
      final Thread job = new Thread(() -> {
        try {
          writing.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        jobs.runAll();
      }, "test-specializer");
      job.start();
      int port = 0;
      writing.countDown();
      while (job.isAlive()) {
        rule.setPort(++port);
      }
      job.join();
      final EntryCounters c = entry.counters();
      assertThat(c.queued()).isEqualTo(1);
      assertThat(c.specializations() + c.raced() + c.declined()).isEqualTo(1);
      // Whatever happened, no call answers for an old port.
      assertThat(f.accept(rule, port)).isTrue();
      assertThat(f.accept(rule, port - 1)).isFalse();
      if (c.raced() == 1) {
        assertThat(c.specializations()).isZero();
        assertThat(c.invalidations()).as("a raced version counts as invalidated").isEqualTo(1);
        return;
      }
    }
    throw new AssertionError("no write landed during any of 20 background specializations");
  }

  @Test
  void aQueuedKeyEvictedBeforeItsJobRunsIsDropped() throws Exception {
    final HeldJobs jobs = new HeldJobs();
    final EntryPoint<Rules.Filter> entry = builder(BACKGROUND.withSpecializeAfter(1).withMaxVersions(1))
        .specializeIn(jobs).build();
    final Rules.Filter f = entry.function();
    final Rule a = new Rule(1);
    final Rule b = new Rule(2);
    assertThat(f.accept(a, 1)).isTrue(); // queued
    assertThat(f.accept(b, 2)).isTrue(); // queued; a, over the bound, is evicted
    assertThat(entry.counters().evictions()).isEqualTo(1);
    assertThat(entry.cachedKeys()).isEqualTo(1);

    jobs.runAll();

    final EntryCounters c = entry.counters();
    assertThat(c.queued()).isEqualTo(2);
    assertThat(c.dropped()).isEqualTo(1);
    assertThat(c.specializations()).isEqualTo(1);
    a.setPort(3);
    assertThat(entry.counters().invalidations()).as("a has no version to invalidate").isZero();
    b.setPort(4);
    assertThat(entry.counters().invalidations()).as("b's version was plugged").isEqualTo(1);
    assertThat(f.accept(a, 3)).isTrue();
    assertThat(f.accept(b, 4)).isTrue();
  }

  @Test
  void anExecutorWithAFullQueueLeavesTheKeyGenericAndCountsIt() throws Exception {
    final ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
    final CountDownLatch release = new CountDownLatch(1);
    try {
      full.execute(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      full.execute(() -> { }); // the queue's one place
      final EntryPoint<Rules.Filter> entry = builder(BACKGROUND.withSpecializeAfter(2)).specializeIn(full).build();
      final Rules.Filter f = entry.function();
      final Rule rule = new Rule(80);
      assertThat(f.accept(rule, 80)).isTrue();
      assertThat(f.accept(rule, 80)).isTrue(); // crosses the threshold: refused
      EntryCounters c = entry.counters();
      assertThat(c.rejected()).isEqualTo(1);
      assertThat(c.queued()).isZero();
      assertThat(c.specializations()).isZero();
      assertThat(f.accept(rule, 81)).isFalse();
      assertThat(f.accept(rule, 80)).isTrue(); // counted again: crosses again, refused again
      c = entry.counters();
      assertThat(c.rejected()).isEqualTo(2);
      assertThat(c.genericCalls()).isEqualTo(4);
      assertThat(entry.cachedKeys()).isEqualTo(1);
    } finally {
      release.countDown();
      full.shutdown();
      assertThat(full.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
