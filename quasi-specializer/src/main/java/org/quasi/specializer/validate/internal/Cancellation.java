package org.quasi.specializer.validate.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cooperative cancellation of validated code on any JDK. The class path's classes are loaded with a call to
 * {@link #poll} at the entry of every method and before every backward jump (see {@link CancellationPoints}); when
 * the {@link Worker} gives up on a run, it {@linkplain #cancel cancels} the run's thread, and the thread's next poll
 * throws {@link Cancelled}, which unwinds the library code (its {@code finally} blocks run, its monitors are
 * released) even where {@code Thread.stop} no longer works (JDK 20 and later).
 *
 * <p>A poll costs a volatile read while no thread is cancelled, and a set look-up while one is. Until its thread is
 * cancelled, instrumented code behaves exactly as the original: the poll reads no state of the program.
 *
 * @implNote Not reached by a poll, so not cancelled: loops inside the JDK (a huge {@code BigInteger.pow},
 *     {@code Arrays.fill} of a huge array) and the residual code's own loops (it is generated from the original,
 *     uninstrumented class files); such threads are stopped only where {@code Thread.stop} works. Library code that
 *     catches {@code Throwable} around a loop catches {@link Cancelled} too, and is cancelled again at its next poll.
 */
public final class Cancellation {
  private static final Set<Thread> CANCELLED = ConcurrentHashMap.newKeySet();
  /** Whether any thread is cancelled: the poll's fast path. */
  private static volatile boolean any;

  private Cancellation() {
  }

  /**
   * Called by instrumented code: throws {@link Cancelled} in a cancelled thread, returns at once in any other.
   * Public because the validated classes call it from their own class loader.
   */
  public static void poll() {
    if (any && CANCELLED.contains(Thread.currentThread())) {
      throw new Cancelled();
    }
  }

  /** Cancels {@code t}: its next poll throws. */
  static void cancel(final Thread t) {
    CANCELLED.add(t);
    any = true;
  }

  /** Forgets threads that have ended. */
  static void forgetEnded() {
    CANCELLED.removeIf(t -> !t.isAlive());
    any = !CANCELLED.isEmpty();
  }

  /** Thrown by {@link #poll} in a cancelled thread: an error, so that library code catching exceptions lets it pass. */
  public static final class Cancelled extends Error {
    private static final long serialVersionUID = 1L;

    Cancelled() {
      super("the validator gave up on this run after its time limit");
    }
  }
}
