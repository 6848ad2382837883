package org.quasi.cases.signals.app;

import static org.quasi.cases.signals.Signals.SIGUSR1;
import static org.quasi.cases.signals.Signals.mask;

import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Task;
import org.quasi.cases.signals.UserProgram;

/**
 * A LinuxThreads thread of the model: a process that shares its parent's sigaction table and blocks on its restart
 * signal, SIGUSR1. Subclasses are state machines; this class provides LinuxThreads' {@code suspend(self)}: with the
 * restart signal blocked in normal operation, a thread suspends by clearing its {@code p_signal} and calling
 * {@code sigsuspend} with the restart signal unblocked, until the restart handler has recorded the signal.
 *
 * <p>Every field is user memory of the model program, touched only while the thread runs a step, so the kernel's
 * serialization (its run loop, or the threaded run's big kernel lock) is the only synchronization needed, as
 * LinuxThreads' spinlocks were on a uniprocessor.
 */
public abstract class ModelThread implements UserProgram {

  /** The restart signal ({@code PTHREAD_SIG_RESTART}). */
  public static final int RESTART = SIGUSR1;

  /** pc value: clear {@code p_signal} and sigsuspend. */
  private static final int SUSPEND = -1;
  /** pc value: back from sigsuspend; resume, or suspend again if it was not the restart signal. */
  private static final int SUSPEND_CHECK = -2;

  /** The next state to run. */
  protected int pc;
  /** Where to resume once restarted. */
  private int resumeAt;
  /** The last signal the restart handler recorded ({@code p_signal}). */
  int pSignal;
  /** The thread's process, set when it is created. */
  Task task;
  /** Set by the last step, which exits. */
  private boolean finished;

  @Override
  public final void step(final Kernel kernel, final Task self) {
    switch (pc) {
      case SUSPEND -> {
        pSignal = 0;
        kernel.sysSigsuspend(kernel.sysSgetmask() & ~mask(RESTART));
        pc = SUSPEND_CHECK;
      }
      case SUSPEND_CHECK -> pc = pSignal == RESTART ? resumeAt : SUSPEND;
      default -> run(kernel, self);
    }
  }

  @Override
  public final boolean finished() {
    return finished;
  }

  /**
   * Runs the state {@link #pc}.
   *
   * @param kernel the kernel
   * @param self   this thread's task, current
   */
  protected abstract void run(Kernel kernel, Task self);

  /**
   * Suspends the thread until restarted, then continues at {@code next}.
   *
   * @param next the state to resume at
   */
  protected final void suspendThen(final int next) {
    resumeAt = next;
    pc = SUSPEND;
  }

  /**
   * The last step: the thread exits.
   *
   * @param kernel the kernel
   */
  protected final void exit(final Kernel kernel) {
    finished = true;
    kernel.sysExit(0);
  }

  /**
   * @return the thread's process
   */
  public final Task task() {
    return task;
  }
}
