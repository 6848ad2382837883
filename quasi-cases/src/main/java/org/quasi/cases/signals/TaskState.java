package org.quasi.cases.signals;

/**
 * Values of {@code Task.state} and bits of {@code Task.flags}, numbered as in Linux 2.0's {@code sched.h}.
 */
public final class TaskState {

  /** Runnable, or running: on the run queue. */
  public static final int TASK_RUNNING = 0;
  /** Sleeping until woken or signalled. */
  public static final int TASK_INTERRUPTIBLE = 1;
  /** Sleeping, deaf to signals. */
  public static final int TASK_UNINTERRUPTIBLE = 2;
  /** Exited, waiting for its parent to reap it; its sigaction table is gone. */
  public static final int TASK_ZOMBIE = 3;
  /** Stopped by a job-control signal until SIGCONT or SIGKILL. */
  public static final int TASK_STOPPED = 4;

  /** flags: the process is being exited. */
  public static final int PF_EXITING = 0x4;
  /** flags: the process is traced (read by generate; no operation of this model sets it). */
  public static final int PF_PTRACED = 0x10;
  /** flags: forked but has not exec'd. */
  public static final int PF_FORKNOEXEC = 0x40;
  /** flags: the process used super-user privileges; suser() sets it. */
  public static final int PF_SUPERPRIV = 0x100;
  /** flags: the process was killed by a signal. */
  public static final int PF_SIGNALED = 0x400;

  private TaskState() {
  }

  /**
   * Names a state for messages and snapshots.
   *
   * @param state a value of {@code Task.state}
   * @return its kernel name, or the number when unknown
   */
  public static String name(final int state) {
    return switch (state) {
      case TASK_RUNNING -> "RUNNING";
      case TASK_INTERRUPTIBLE -> "INTERRUPTIBLE";
      case TASK_UNINTERRUPTIBLE -> "UNINTERRUPTIBLE";
      case TASK_ZOMBIE -> "ZOMBIE";
      case TASK_STOPPED -> "STOPPED";
      default -> Integer.toString(state);
    };
  }
}
