package org.quasi.specializer.validate.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one piece of validated code at a time on a daemon worker thread, with a time limit. The harness thread never
 * runs library code itself, so a hang or an {@link OutOfMemoryError} in the library is reported, not suffered.
 *
 * @implNote A task that times out is interrupted, then (by a {@link #stopping} worker) cancelled at its next poll in
 *     the validated class path's code ({@link Cancellation}) and stopped where the JDK still can ({@code Thread.stop},
 *     up to JDK 19; see {@link ThreadStopper}); later tasks get a new thread. From JDK 20 on nothing stops a thread
 *     that ignores interrupts and is in code without polls (the JDK's, the residual code's): it keeps running (a
 *     daemon, until it finishes or the JVM exits), costing a core and whatever heap it holds. {@link #stillRunning}
 *     names such threads' classes, so that the harness can stop running more code of those classes and watch the
 *     heap; the report counts abandoned and still running threads.
 */
public final class Worker implements AutoCloseable {
  /** How a run ended. */
  public enum Ending { RETURNED, THREW, TIMED_OUT, OUT_OF_MEMORY }

  /**
   * The outcome of one run: how it ended, the value returned or the throwable thrown; for a run that timed out, what
   * its task did when it then ended by itself before the worker gave up on it ({@code late}), else null.
   */
  public record Run(Ending ending, Object value, Throwable thrown, Run late) {
    public Run(final Ending ending, final Object value, final Throwable thrown) {
      this(ending, value, thrown, null);
    }

    /**
     * The outcome compared between the original and the residual code: the value returned (described) or the type
     * thrown, then the arguments as the run left them (writes into arguments are part of what a method does).
     */
    public String outcome(final Object[] arguments) {
      final StringBuilder b = new StringBuilder();
      switch (ending) {
        case RETURNED -> b.append("returned ").append(Describer.describe(value));
        case THREW -> b.append("threw ").append(thrown.getClass().getName());
        default -> b.append(inWords(0));
      }
      b.append("; arguments after: ");
      for (int i = 0; i < arguments.length; i++) {
        b.append(i == 0 ? "" : ", ").append(Describer.describe(arguments[i]));
      }
      return b.toString();
    }

    /**
     * How the run ended, in words for a report; a throwable other than a stack overflow is named with its message
     * and at most {@code frames} of its innermost stack frames.
     */
    public String inWords(final int frames) {
      return switch (ending) {
        case TIMED_OUT -> "did not finish within the time limit";
        case OUT_OF_MEMORY -> "exhausted memory";
        case RETURNED -> "returned";
        case THREW -> thrown instanceof StackOverflowError ? "overflowed the stack" : "threw " + brief(frames);
      };
    }

    private String brief(final int frames) {
      final StringBuilder b = new StringBuilder(thrown.toString());
      final StackTraceElement[] trace = thrown.getStackTrace();
      for (int i = 0; i < Math.min(frames, trace.length); i++) {
        b.append(" at ").append(trace[i]);
      }
      return b.toString();
    }
  }

  /** How long a timed-out task's thread is given to end once interrupted (and stopped, where the JDK can). */
  private static final long GRACE_MILLIS = 500;

  /** A worker thread abandoned after a time-out that had not ended when last looked at, and what it was running. */
  private record Abandoned(Thread thread, String owner) { }

  private final List<Abandoned> stillRunning = new ArrayList<>();
  /** The abandoned threads {@link #stillRunningIn(String, Duration)} already waited for. */
  private final Set<Thread> waitedFor = new HashSet<>();
  /** Whether a timed-out task's thread is stopped where the JDK can, and waited for. */
  private final boolean stopping;
  /** The thread of the current executor (set by its factory, which runs on the harness thread at submit time). */
  private volatile Thread thread;
  private ExecutorService executor = newExecutor();
  private String owner = "";
  private int abandoned;
  private int stopped;

  /**
   * A worker that interrupts and abandons a timed-out task, and never stops its thread: for code whose objects
   * outlive the run (shadow mode runs the program's own methods on its own objects, which a stopped thread could
   * leave half-updated).
   */
  public Worker() {
    this(false);
  }

  private Worker(final boolean stopping) {
    this.stopping = stopping;
  }

  /**
   * A worker that also cancels a timed-out task's thread ({@link Cancellation}: its next poll in code of the
   * validated class path throws) and stops it where the JDK can, and waits up to {@value #GRACE_MILLIS} ms for it to
   * end: for the validator, whose tasks touch only values drawn for them.
   */
  public static Worker stopping() {
    return new Worker(true);
  }

  /**
   * Names the class whose code the next tasks run (for {@link #stillRunningIn}); the harness sets it per method.
   */
  public void owner(final String className) {
    owner = className;
  }

  /** Runs {@code task} and waits at most {@code limit}. */
  public Run run(final Callable<?> task, final Duration limit) {
    return run(task, limit, () -> { });
  }

  /**
   * Runs {@code task} and waits at most {@code limit}; on a time-out, runs {@code beforeCancel} while the task is still
   * where it hung (cancelling interrupts it, and the task may then move on), then interrupts the task's thread and (a
   * {@link #stopping} worker) stops it where the JDK can ({@link ThreadStopper}) and waits a moment for it to end; a
   * thread that goes on is remembered as still running.
   */
  public Run run(final Callable<?> task, final Duration limit, final Runnable beforeCancel) {
    if (executor.isShutdown()) {
      // Giving up on a task shuts its executor down first and then makes the next one, an allocation that fails
      // when the abandoned task filled the heap.
      executor = newExecutor();
    }
    final Running running = new Running();
    final Future<Run> f = executor.submit(() -> {
      final Run r = attempt(task);
      synchronized (running) {
        running.ended = r;
      }
      return r;
    });
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      beforeCancel.run();
      return new Run(Ending.TIMED_OUT, null, null, abandon(f, running));
    } catch (ExecutionException e) {
      return new Run(Ending.THREW, null, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("validation interrupted", e);
    }
  }

  private static Run attempt(final Callable<?> task) {
    try {
      return new Run(Ending.RETURNED, task.call(), null);
    } catch (OutOfMemoryError e) {
      return new Run(Ending.OUT_OF_MEMORY, null, e);
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): any throwable of the validated code is an outcome to compare.
      return new Run(Ending.THREW, null, t);
    }
  }

  /** Returns how many worker threads were abandoned after a time-out. */
  public int abandoned() {
    return abandoned;
  }

  /** Returns how many abandoned worker threads ended within the grace period (interrupted or stopped). */
  public int stopped() {
    return stopped;
  }

  /** Returns the classes whose abandoned runs are still running now, one entry per thread (forgets ended ones). */
  public List<String> stillRunning() {
    stillRunning.removeIf(a -> !a.thread().isAlive());
    waitedFor.removeIf(t -> !t.isAlive());
    Cancellation.forgetEnded();
    return stillRunning.stream().map(Abandoned::owner).toList();
  }

  /** Returns whether a run abandoned while validating {@code className} is still running. */
  public boolean stillRunningIn(final String className) {
    return stillRunning().contains(className);
  }

  /**
   * Returns whether a run abandoned while validating {@code className} is still running, after giving each such run
   * not waited for before up to {@code patience} more to end. A run that was only slow (it outlived the time limit and
   * the grace, then finished) then costs its class nothing; one that hangs costs the harness this wait once.
   */
  public boolean stillRunningIn(final String className, final Duration patience) {
    for (final Abandoned a : List.copyOf(stillRunning)) {
      if (a.owner().equals(className) && waitedFor.add(a.thread())) {
        try {
          a.thread().join(Math.max(1, patience.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("validation interrupted", e);
        }
      }
    }
    return stillRunningIn(className);
  }

  /**
   * Waits up to {@code patience} in all for the abandoned runs still running to end, and returns whether any of them
   * has ended (what such a run held is then garbage).
   */
  public boolean awaitStillRunning(final Duration patience) {
    final long end = System.nanoTime() + patience.toNanos();
    boolean ended = false;
    for (final Abandoned a : List.copyOf(stillRunning)) {
      final long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left > 0) {
        try {
          a.thread().join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("validation interrupted", e);
        }
      }
      ended |= !a.thread().isAlive();
    }
    return ended;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /**
   * Gives up on the task of {@code f}: interrupts it, moves later tasks to a new thread, and (a {@link #stopping}
   * worker) stops its thread where the JDK allows and waits at most {@link #GRACE_MILLIS} for it to end.
   *
   * @return what the task did, when it ended by itself meanwhile (neither stopped nor cancelled at a poll): it was
   *     slow, not hung; else null
   */
  private Run abandon(final Future<Run> f, final Running running) {
    final Thread t = thread;
    f.cancel(true);
    executor.shutdownNow();
    executor = newExecutor();
    abandoned++;
    if (t == null) {
      return null;
    }
    if (!stopping) {
      stillRunning.add(new Abandoned(t, owner));
      return null;
    }
    Cancellation.cancel(t);
    boolean stopIssued = false;
    synchronized (running) {
      // A ThreadDeath thrown before the task's end is recorded unwinds the task (recording it waits for this
      // monitor); after it, it would hit the executor's own code.
      if (running.ended == null) {
        stopIssued = ThreadStopper.stop(t);
      }
    }
    try {
      t.join(GRACE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("validation interrupted", e);
    }
    if (t.isAlive()) {
      stillRunning.add(new Abandoned(t, owner));
      return null;
    }
    stopped++;
    final Run late;
    synchronized (running) {
      late = running.ended;
    }
    return stopIssued || late == null || late.thrown() instanceof Cancellation.Cancelled ? null : late;
  }

  /**
   * How a run's task ended (null while it runs), under the object's monitor: its thread is stopped only while the
   * task runs.
   * Stopped once the task had returned, a thread took the {@code ThreadDeath} in the executor's code, waiting for the
   * next task inside {@code LinkedBlockingQueue.take}, whose {@code finally} then unlocked a lock it no longer held:
   * the thread died printing an {@code IllegalMonitorStateException}.
   */
  private static final class Running {
    Run ended;
  }

  private ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(r -> {
      final Thread t = new Thread(r, "quasi-validate-worker");
      t.setDaemon(true);
      thread = t;
      return t;
    });
  }
}
