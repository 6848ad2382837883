package org.quasi.specializer.validate.internal;

import java.util.function.LongSupplier;

/**
 * Watches the validator's heap between classes. Validated code shares the harness's heap, and a worker thread that
 * timed out and could not be stopped (see {@link Worker}) may go on filling it; left alone, the next allocation of
 * the harness itself fails and the run dies without a report. The watch says when the heap stays fuller than a
 * budget even after a collection, so that the run can end there with a partial report that says why.
 *
 * <p>Reading the heap's use is cheap; a collection is forced ({@code System.gc()}) only when the use is over the
 * budget, and at most once every {@link #COLLECTION_INTERVAL_MILLIS} (in between, a use over the budget is not
 * judged), so a heap that is merely full of garbage costs a collection now and then, not one per class.
 *
 * @implNote Under {@code -XX:+DisableExplicitGC} the forced collection does nothing, and the heap's use then counts
 *     garbage too: the watch may end a run that would have recovered.
 */
public final class HeapWatch {
  /** The least time between two forced collections. */
  static final long COLLECTION_INTERVAL_MILLIS = 10_000;

  private final double budget;
  private final LongSupplier used;
  private final LongSupplier max;
  private final Runnable collect;
  private final LongSupplier clock;
  private long lastCollection = Long.MIN_VALUE / 2;

  /**
   * A watch of this JVM's heap.
   *
   * @param budget the share of the maximum heap that may stay in use after a collection, in (0, 1]
   */
  public HeapWatch(final double budget) {
    this(budget, () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory(),
        () -> Runtime.getRuntime().maxMemory(), System::gc, System::currentTimeMillis);
  }

  /** A watch of the given measures (tests use it to stand for a full heap). */
  HeapWatch(final double budget, final LongSupplier used, final LongSupplier max, final Runnable collect,
      final LongSupplier clock) {
    if (!(budget > 0 && budget <= 1)) {
      throw new IllegalArgumentException("the heap budget must be in (0, 1], got " + budget);
    }
    this.budget = budget;
    this.used = used;
    this.max = max;
    this.collect = collect;
    this.clock = clock;
  }

  /**
   * Returns why the heap is over budget (its use after a collection, in MB and as a share of the maximum), or null
   * when it is not.
   */
  public String overBudget() {
    final long limit = (long) (budget * max.getAsLong());
    if (used.getAsLong() <= limit) {
      return null;
    }
    final long now = clock.getAsLong();
    if (now - lastCollection < COLLECTION_INTERVAL_MILLIS) {
      // Collected a moment ago, and it freed enough then: what grew back may be garbage; look again later.
      return null;
    }
    lastCollection = now;
    collect.run();
    final long after = used.getAsLong();
    return after <= limit ? null : describe(after);
  }

  /**
   * As {@link #overBudget()}; but when the heap stays over budget, first gives {@code release} a chance to let go of
   * what it holds (the validator waits for its runs that timed out and still run: a thread zeroing or filling a huge
   * array it allocated holds it until it reaches its next cancellation point) and, when it says something was let go,
   * collects again and judges that.
   *
   * @param release returns whether something that held heap was let go
   */
  public String overBudget(final java.util.function.BooleanSupplier release) {
    final String over = overBudget();
    if (over == null || !release.getAsBoolean()) {
      return over;
    }
    lastCollection = clock.getAsLong();
    collect.run();
    final long after = used.getAsLong();
    return after <= (long) (budget * max.getAsLong()) ? null : describe(after);
  }

  /**
   * After an {@link OutOfMemoryError} of the harness: collects, every 50 ms, until the heap is back within the budget
   * or {@code patienceMillis} have passed, and returns whether it is. Allocates nothing, so that a handler can call it
   * before it records anything: the heap may be full of what a run that timed out still holds (an allocation the JVM
   * is still making, which no cancellation point interrupts), and it is free once that run ends.
   */
  public boolean awaitRoom(final long patienceMillis) {
    final long limit = (long) (budget * max.getAsLong());
    final long end = clock.getAsLong() + patienceMillis;
    while (true) {
      lastCollection = clock.getAsLong();
      collect.run();
      if (used.getAsLong() <= limit) {
        return true;
      }
      if (clock.getAsLong() >= end) {
        return false;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /**
   * Whether {@code t} is an {@link OutOfMemoryError} or was caused by one: the JDK wraps one met while it spins a class
   * (a lambda form, a lambda's class, a string concatenation's) in an {@link InternalError} or a
   * {@link BootstrapMethodError}, and a class whose initializer ran out in a {@link LinkageError}. A CI run's harness
   * met {@code InternalError: java.lang.OutOfMemoryError} while a run it had given up on held the heap. Allocates
   * nothing.
   */
  public static boolean exhausted(final Throwable t) {
    int depth = 0;
    for (Throwable c = t; c != null && depth < 8; c = c.getCause(), depth++) {
      if (c instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }

  private String describe(final long bytes) {
    final long m = max.getAsLong();
    return String.format("the heap stayed %d%% full after a collection (%d MB of %d MB, budget %d%%)",
        Math.round(100.0 * bytes / m), bytes >> 20, m >> 20, Math.round(100 * budget));
  }
}
