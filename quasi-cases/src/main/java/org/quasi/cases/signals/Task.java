package org.quasi.cases.signals;

/**
 * A process of the model: the fields of Linux 2.0's {@code struct task_struct} that the kill path, signal delivery,
 * the scheduler and the credential system calls use.
 *
 * <p>Every field is a plain field written only by {@link Kernel}'s system calls and helpers (a handful of mutator
 * methods), never by user code: that is what lets a specializer fold reads of the quasi-invariant ones (the task-list
 * links, {@code pid}, {@code uid}, {@code euid}, {@code suid}, {@code session}, {@code sig}) and a guard catch their
 * writes. The class is not final only so the hand-specialized kernel can add its cache fields, as the paper's authors
 * added {@code last_sig_to} to {@code task_struct}.
 */
public class Task {

  // -----------------------------------------------------------------------------------------------------------
  // Identity, job control and credentials
  // -----------------------------------------------------------------------------------------------------------

  /** Process id; unique among the tasks in the list. */
  int pid;
  /** Process group id. */
  int pgrp;
  /** Session id. */
  int session;
  /** Whether the task is its session's leader (set by setsid). */
  boolean leader;
  /** Real user id. */
  int uid;
  /** Effective user id: the one permission checks use. */
  int euid;
  /** Saved user id. */
  int suid;
  /** File-system user id; shadows euid. */
  int fsuid;

  // -----------------------------------------------------------------------------------------------------------
  // Scheduling and signal state
  // -----------------------------------------------------------------------------------------------------------

  /** One of {@link TaskState}'s {@code TASK_*} values. */
  int state;
  /** Pending signals, one bit per signal. */
  int signal;
  /** Blocked signals, one bit per signal. */
  int blocked;
  /** {@code PF_*} bits of {@link TaskState}. */
  int flags;
  /** Exit status, or the signal that stopped the task. */
  int exitCode;
  /** The signal sent to the parent on exit (SIGCHLD for ordinary forks). */
  int exitSignal;
  /** The sigaction table, shared between threads; {@code null} once the task has exited. */
  SignalStruct sig;
  /** Remaining time slice, in model ticks. */
  int counter;
  /** Time slice a task gets when counters are recalculated. */
  int priority;

  // -----------------------------------------------------------------------------------------------------------
  // Links
  // -----------------------------------------------------------------------------------------------------------

  /** Next task in the circular task list ({@code next_task}); the idle task is the list head. */
  Task nextTask;
  /** Previous task in the task list ({@code prev_task}). */
  Task prevTask;
  /** Next task on the run queue, or {@code null} when not on it ({@code next_run}). */
  Task nextRun;
  /** Previous task on the run queue ({@code prev_run}). */
  Task prevRun;
  /** Parent process ({@code p_pptr}). */
  Task parent;

  // -----------------------------------------------------------------------------------------------------------
  // Model only
  // -----------------------------------------------------------------------------------------------------------

  /** The user-mode code the scheduled run loop executes for this task; {@code null} for tasks that only sleep. */
  UserProgram program;
  /** Whether the task is inside sigsuspend, waiting for a handler to run. */
  boolean inSigsuspend;
  /** In sigsuspend: the blocked set to restore once a handler has run (the {@code oldmask} of sys_sigsuspend). */
  int sigsuspendOldmask;
  /**
   * The Java thread that plays this task's CPU when the program runs on real threads, unparked by
   * {@code wake_up_process}; {@code null} when the kernel model schedules the task itself. Plain, not volatile: it is
   * set before that thread starts and read under the big kernel lock, and the kill path should not pay a volatile read.
   */
  Thread thread;

  /** Tasks are created only by the kernel ({@link Kernel#newTask()}). */
  protected Task() {
  }

  // -----------------------------------------------------------------------------------------------------------
  // Read accessors for code outside the kernel (tests, workloads, benchmarks)
  // -----------------------------------------------------------------------------------------------------------

  /** @return the process id */
  public final int pid() {
    return pid;
  }

  /** @return the process group id */
  public final int pgrp() {
    return pgrp;
  }

  /** @return the session id */
  public final int session() {
    return session;
  }

  /** @return the real user id */
  public final int uid() {
    return uid;
  }

  /** @return the effective user id */
  public final int euid() {
    return euid;
  }

  /** @return the state, one of {@link TaskState}'s {@code TASK_*} values */
  public final int state() {
    return state;
  }

  /** @return the pending signals */
  public final int signal() {
    return signal;
  }

  /** @return the blocked signals */
  public final int blocked() {
    return blocked;
  }

  /** @return the sigaction table, or {@code null} once exited */
  public final SignalStruct sig() {
    return sig;
  }

  /** @return the parent, or {@code null} for the idle task */
  public final Task parent() {
    return parent;
  }

  /** @return the user program the run loop executes, or {@code null} */
  public final UserProgram program() {
    return program;
  }

  @Override
  public String toString() {
    return "Task[pid=" + pid + ", uid=" + uid + ", euid=" + euid + ", state=" + TaskState.name(state) + "]";
  }
}
