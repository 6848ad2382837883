package org.quasi.specializer.validate.internal;

import java.time.Duration;
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
 * @implNote Java cannot stop a thread: a task that times out is interrupted and abandoned (its daemon thread keeps
 *     running until it finishes or the JVM exits) and later tasks get a new thread. A library method that loops
 *     forever therefore costs a core for the rest of the run; the report counts such methods.
 */
public final class Worker implements AutoCloseable {
  /** How a run ended. */
  public enum Ending { RETURNED, THREW, TIMED_OUT, OUT_OF_MEMORY }

  /** The outcome of one run: how it ended, the value returned or the throwable thrown. */
  public record Run(Ending ending, Object value, Throwable thrown) {
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

  private ExecutorService executor = newExecutor();
  private int abandoned;

  /** Runs {@code task} and waits at most {@code limit}. */
  public Run run(final Callable<?> task, final Duration limit) {
    return run(task, limit, () -> { });
  }

  /**
   * Runs {@code task} and waits at most {@code limit}; on a time-out, runs {@code beforeCancel} while the task is still
   * where it hung (cancelling interrupts it, and the task may then move on).
   */
  public Run run(final Callable<?> task, final Duration limit, final Runnable beforeCancel) {
    final Future<Run> f = executor.submit(() -> {
      try {
        return new Run(Ending.RETURNED, task.call(), null);
      } catch (OutOfMemoryError e) {
        return new Run(Ending.OUT_OF_MEMORY, null, e);
      } catch (Throwable t) {
        // DontCheck(IllegalCatch): any throwable of the validated code is an outcome to compare.
        return new Run(Ending.THREW, null, t);
      }
    });
    try {
      return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      beforeCancel.run();
      f.cancel(true);
      executor.shutdownNow();
      executor = newExecutor();
      abandoned++;
      return new Run(Ending.TIMED_OUT, null, null);
    } catch (ExecutionException e) {
      return new Run(Ending.THREW, null, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("validation interrupted", e);
    }
  }

  /** Returns how many worker threads were abandoned after a time-out. */
  public int abandoned() {
    return abandoned;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(r -> {
      final Thread t = new Thread(r, "quasi-validate-worker");
      t.setDaemon(true);
      return t;
    });
  }
}
