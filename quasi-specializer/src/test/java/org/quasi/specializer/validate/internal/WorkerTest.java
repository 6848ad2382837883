package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The worker's time limit, and how it gives up on a run. */
class WorkerTest {

  /** Spins, ignoring interrupts, for {@code millis}. */
  private static void spin(final long millis) {
    final long end = System.nanoTime() + millis * 1_000_000;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  /**
   * A run that outlives its limit and then ends by itself before the worker gives up on it: its thread is back in the
   * executor, waiting for a task. Stopped there (up to JDK 19), it took the {@code ThreadDeath} inside
   * {@code LinkedBlockingQueue.take}, whose {@code finally} unlocked a lock it no longer held, and died printing an
   * {@code IllegalMonitorStateException} (seen twice in a run over fastutil's packages on JDK 17).
   */
  @Test
  void aThreadWhoseRunHasEndedIsNotStopped() throws InterruptedException {
    final List<Throwable> uncaught = new CopyOnWriteArrayList<>();
    final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
    try {
      for (int i = 0; i < 5; i++) {
        final Worker worker = Worker.stopping();
        final CountDownLatch ended = new CountDownLatch(1);
        final Worker.Run run = worker.run(() -> {
          spin(150);
          ended.countDown();
          return 1;
        }, Duration.ofMillis(50), awaiting(ended));
        assertThat(run.ending()).isEqualTo(Worker.Ending.TIMED_OUT);
        assertThat(worker.stillRunning()).isEmpty();
        worker.close();
      }
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertThat(uncaught).isEmpty();
  }

  /**
   * Waits, on the harness thread before the worker gives up, until {@code ended} is counted down, and long enough
   * for the run's thread to be back in the executor, waiting for the next task.
   */
  private static Runnable awaiting(final CountDownLatch ended) {
    return () -> {
      try {
        ended.await();
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /**
   * A run that timed out but ended by itself before the worker gave up on it was slow, not hung: the run carries
   * what it did (the validator compares that), as a hung one, stopped or still running, does not.
   */
  @Test
  void aRunThatEndsByItselfAfterItsLimitCarriesItsLateOutcome() {
    final Worker worker = Worker.stopping();
    final CountDownLatch ended = new CountDownLatch(1);
    final Worker.Run slow = worker.run(() -> {
      spin(150);
      ended.countDown();
      return 42;
    }, Duration.ofMillis(50), awaiting(ended));
    assertThat(slow.ending()).isEqualTo(Worker.Ending.TIMED_OUT);
    assertThat(slow.late()).isNotNull();
    assertThat(slow.late().ending()).isEqualTo(Worker.Ending.RETURNED);
    assertThat(slow.late().value()).isEqualTo(42);
    final Worker.Run hung = worker.run(() -> {
      spin(1500);
      return 43;
    }, Duration.ofMillis(50));
    assertThat(hung.ending()).isEqualTo(Worker.Ending.TIMED_OUT);
    assertThat(hung.late()).as("stopped (JDK 17) or still running after the grace (JDK 20 on)").isNull();
    worker.close();
  }
}
