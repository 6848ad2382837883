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
        }, Duration.ofMillis(50), () -> {
          try {
            ended.await();
            // Long enough for the thread to be back in the executor, waiting for the next task.
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
        assertThat(run.ending()).isEqualTo(Worker.Ending.TIMED_OUT);
        assertThat(worker.stillRunning()).isEmpty();
        worker.close();
      }
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(before);
    }
    assertThat(uncaught).isEmpty();
  }
}
