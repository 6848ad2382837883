package org.quasi.cases.signals;

import static org.quasi.cases.signals.Errno.ECHILD;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.TaskState.PF_EXITING;
import static org.quasi.cases.signals.TaskState.PF_FORKNOEXEC;
import static org.quasi.cases.signals.TaskState.PF_PTRACED;
import static org.quasi.cases.signals.TaskState.PF_SUPERPRIV;
import static org.quasi.cases.signals.TaskState.TASK_INTERRUPTIBLE;
import static org.quasi.cases.signals.TaskState.TASK_RUNNING;
import static org.quasi.cases.signals.TaskState.TASK_UNINTERRUPTIBLE;
import static org.quasi.cases.signals.TaskState.TASK_ZOMBIE;

import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The process side of the kernel model: the task list, the run queue and scheduler ({@code kernel/sched.c}) and the
 * life cycle of a process, {@code fork}, {@code exit} and {@code wait4} ({@code kernel/fork.c},
 * {@code kernel/exit.c}). {@link Kernel} adds signals on top; the two are one kernel split in two files by concept.
 *
 * <p>The task list is 2.0's circular doubly linked list headed by the idle task ({@code init_task}), in creation
 * order: {@code for_each_task} is {@code for (p = initTask.nextTask; p != initTask; p = p.nextTask)}. The run queue is
 * a second circular list through {@code nextRun}/{@code prevRun}, also headed by the idle task.
 */
public abstract class KernelCore {

  /** {@code clone} flag: share the sigaction table (LinuxThreads' threads). */
  public static final int CLONE_SIGHAND = 0x00000800;
  /** {@code clone} flags: the low byte is the signal sent to the parent on exit. */
  public static final int CSIGNAL = 0x000000ff;
  /** Time slice of a new task, in model ticks ({@code DEF_PRIORITY} of 2.0 is 20 ticks). */
  public static final int DEF_PRIORITY = 20;

  /** Makes the tasks: {@code Task::new} for the generic kernel, a subclass with cache fields for the hand one. */
  private final Supplier<? extends Task> taskFactory;

  /** The idle task, pid 0: head of the task list and of the run queue ({@code init_task}). */
  final Task initTask;

  /** The task running now ({@code current}). */
  Task current;

  /** The init process, pid 1, which inherits orphans ({@code task[smp_num_cpus]}). */
  final Task initProcess;

  /** The last pid handed out ({@code last_pid} of {@code get_pid}). */
  int lastPid;

  /** Set when the running task should give the processor up at the next opportunity ({@code need_resched}). */
  boolean needResched;

  /** Context switches so far ({@code kstat.context_swtch}). */
  long contextSwitches;

  /**
   * Boots the model: the idle task, then init (pid 1, root) forked from it and made current.
   *
   * @param taskFactory makes a blank task; called for the idle task, init and every fork
   */
  KernelCore(final Supplier<? extends Task> taskFactory) {
    this.taskFactory = taskFactory;
    Task idle = taskFactory.get();
    idle.state = TASK_RUNNING;
    idle.sig = new SignalStruct();
    idle.counter = DEF_PRIORITY;
    idle.priority = DEF_PRIORITY;
    idle.nextTask = idle;
    idle.prevTask = idle;
    idle.nextRun = idle;
    idle.prevRun = idle;
    this.initTask = idle;
    this.current = idle;
    this.initProcess = forkFrom(idle, SIGCHLD);
    this.current = initProcess;
  }

  /**
   * Sends a signal: {@link Kernel#sendSig}, needed here to notify parents.
   *
   * @param sig  the signal
   * @param p    the target
   * @param priv nonzero to skip the permission check
   * @return 0 or a negative errno
   */
  public abstract int sendSig(int sig, Task p, int priv);

  // -----------------------------------------------------------------------------------------------------------
  // Scheduler (kernel/sched.c)
  // -----------------------------------------------------------------------------------------------------------

  /**
   * Makes a task runnable and puts it on the run queue if it is not there. When the task's program runs on a Java
   * thread, that thread is unparked: it plays the processor the woken process will run on.
   *
   * @param p the task to wake
   */
  public void wakeUpProcess(final Task p) {
    p.state = TASK_RUNNING;
    if (p.nextRun == null) {
      addToRunqueue(p);
    }
    Thread cpu = p.thread;
    if (cpu != null) {
      LockSupport.unpark(cpu);
    }
  }

  /** Appends a task to the run queue; asks for a reschedule if it has clearly more time left than current. */
  private void addToRunqueue(final Task p) {
    if (p.counter > current.counter + 3) {
      needResched = true;
    }
    p.prevRun = initTask.prevRun;
    initTask.prevRun.nextRun = p;
    p.nextRun = initTask;
    initTask.prevRun = p;
  }

  /** Takes a task off the run queue; the idle task never leaves it. */
  private void delFromRunqueue(final Task p) {
    Task next = p.nextRun;
    Task prev = p.prevRun;
    if (next == null || prev == null || p == initTask) {
      return;
    }
    next.prevRun = prev;
    prev.nextRun = next;
    p.nextRun = null;
    p.prevRun = null;
  }

  /**
   * Picks the runnable task with the most time left and switches to it: 2.0's {@code schedule()} for
   * {@code SCHED_OTHER} tasks, with counters recalculated when every runnable task has used its slice.
   */
  public void schedule() {
    needResched = false;
    scheduleOut();
    int c = -1000;
    Task next = initTask;
    for (Task p = initTask.nextRun; p != initTask; p = p.nextRun) {
      int weight = goodness(p);
      if (weight > c) {
        c = weight;
        next = p;
      }
    }
    if (c == 0) {
      for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
        p.counter = (p.counter >> 1) + p.priority;
      }
    }
    if (current != next) {
      contextSwitches++;
      switchTo(next);
    }
  }

  /**
   * The first half of {@link #schedule()}: an interruptible sleeper with a deliverable signal stays runnable,
   * any other task that is not running leaves the run queue.
   *
   * @return whether {@code current} is still runnable
   */
  public boolean scheduleOut() {
    Task cur = current;
    if (cur.state == TASK_INTERRUPTIBLE && (cur.signal & ~cur.blocked) != 0) {
      cur.state = TASK_RUNNING;
    } else if (cur.state != TASK_RUNNING) {
      delFromRunqueue(cur);
    }
    return cur.state == TASK_RUNNING;
  }

  /** How desirable a runnable task is: its remaining ticks, plus one for the running task. */
  private int goodness(final Task p) {
    int weight = p.counter;
    if (weight != 0 && p == current) {
      weight += 1;
    }
    return weight;
  }

  /**
   * One timer interrupt: charges a tick to {@code current} and asks for a reschedule when its slice is used up.
   */
  public void timerTick() {
    if (current.pid != 0) {
      current.counter -= 1;
      if (current.counter < 0) {
        current.counter = 0;
        needResched = true;
      }
    }
  }

  /**
   * The context switch ({@code switch_to}): {@code next} becomes {@code current}.
   *
   * @param next a task in the list that is not a zombie
   */
  public void switchTo(final Task next) {
    current = next;
  }


  // -----------------------------------------------------------------------------------------------------------
  // Process life cycle (kernel/fork.c, kernel/exit.c)
  // -----------------------------------------------------------------------------------------------------------

  /**
   * {@code fork}/{@code clone} by {@code current}: a copy of the caller with a fresh pid, appended to the task list
   * and made runnable.
   *
   * @param cloneFlags {@link #CLONE_SIGHAND} to share the sigaction table, or'ed with the exit signal
   *                   ({@code SIGCHLD} for a plain fork)
   * @return the child's pid
   */
  public int doFork(final int cloneFlags) {
    return forkFrom(current, cloneFlags).pid;
  }

  private Task forkFrom(final Task parent, final int cloneFlags) {
    Task p = taskFactory.get();
    p.pgrp = parent.pgrp;
    p.session = parent.session;
    p.uid = parent.uid;
    p.euid = parent.euid;
    p.suid = parent.suid;
    p.fsuid = parent.fsuid;
    p.blocked = parent.blocked;
    p.exitCode = parent.exitCode;
    p.priority = parent.priority;
    p.state = TASK_UNINTERRUPTIBLE;
    p.flags = (parent.flags & ~(PF_PTRACED | PF_SUPERPRIV)) | PF_FORKNOEXEC;
    p.pid = getPid();
    p.parent = parent;
    p.signal = 0;
    p.leader = false;
    p.exitSignal = cloneFlags & CSIGNAL;
    parent.counter >>= 1;
    p.counter = parent.counter;
    // SET_LINKS: append to the task list, just before its head.
    p.nextTask = initTask;
    p.prevTask = initTask.prevTask;
    initTask.prevTask.nextTask = p;
    initTask.prevTask = p;
    if ((cloneFlags & CLONE_SIGHAND) != 0) {
      parent.sig.count++;
      p.sig = parent.sig;
    } else {
      p.sig = SignalStruct.copyOf(parent.sig);
    }
    wakeUpProcess(p);
    return p;
  }

  /** A pid used by no task as pid, process group or session. */
  private int getPid() {
    repeat:
    for (;;) {
      if ((++lastPid & 0xffff8000) != 0) {
        lastPid = 1;
      }
      for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
        if (p.pid == lastPid || p.pgrp == lastPid || p.session == lastPid) {
          continue repeat;
        }
      }
      return lastPid;
    }
  }

  /**
   * {@code exit}: {@code current} becomes a zombie with status {@code (code & 0xff) << 8}.
   *
   * @param code the exit code
   */
  public void sysExit(final int code) {
    doExit((code & 0xff) << 8);
  }

  /**
   * Ends {@code current}: drops its sigaction table, makes it a zombie, hands its children to init and tells its
   * parent. The caller must then {@link #schedule()} (see the class note).
   *
   * @param code the wait status
   * @throws IllegalStateException for the idle task or init, which this model does not let exit
   */
  public void doExit(final int code) {
    Task cur = current;
    if (cur == initTask || cur == initProcess) {
      throw new IllegalStateException("pid " + cur.pid + " cannot exit in this model: it is the "
          + (cur == initTask ? "idle task" : "reaper of orphans"));
    }
    cur.flags |= PF_EXITING;
    SignalStruct sig = cur.sig;
    if (sig != null) {
      cur.sig = null;
      sig.count--;
    }
    cur.inSigsuspend = false;
    cur.state = TASK_ZOMBIE;
    cur.exitCode = code;
    notifyParent(cur);
    for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
      if (p.parent == cur) {
        p.parent = initProcess;
        if (p.state == TASK_ZOMBIE) {
          notifyParent(p);
        }
      }
    }
  }

  /** Sends a task's exit signal to its parent, with privilege; children of init always send SIGCHLD. */
  final void notifyParent(final Task tsk) {
    if (tsk.parent == initProcess) {
      tsk.exitSignal = SIGCHLD;
    }
    sendSig(tsk.exitSignal, tsk.parent, 1);
  }

  /**
   * {@code wait4(pid, NULL, WNOHANG [| __WCLONE], NULL)} for zombies: reaps one zombie child of {@code current}.
   * Children are examined youngest first, as 2.0 walks its child list.
   *
   * @param pid    a child's pid, -1 for any, 0 for the caller's group, {@code < -1} for group {@code -pid}
   * @param wclone whether to wait for clone children (exit signal other than SIGCHLD) instead of ordinary ones
   * @return the reaped pid, 0 if matching children exist but none is a zombie, or {@code -ECHILD}
   * @implNote Never blocks (the model has no wait queues) and does not report stopped children.
   */
  public int sysWait(final int pid, final boolean wclone) {
    boolean found = false;
    for (Task p = initTask.prevTask; p != initTask; p = p.prevTask) {
      if (p.parent != current) {
        continue;
      }
      if (pid > 0 ? p.pid != pid : pid == 0 ? p.pgrp != current.pgrp : pid != -1 && p.pgrp != -pid) {
        continue;
      }
      if ((p.exitSignal != SIGCHLD) != wclone) {
        continue;
      }
      found = true;
      if (p.state == TASK_ZOMBIE) {
        int reaped = p.pid;
        release(p);
        return reaped;
      }
    }
    return found ? 0 : -ECHILD;
  }

  /**
   * Removes a reaped zombie from the task list ({@code REMOVE_LINKS}).
   *
   * @param p a zombie that is not {@code current}
   */
  void release(final Task p) {
    delFromRunqueue(p);
    p.nextTask.prevTask = p.prevTask;
    p.prevTask.nextTask = p.nextTask;
    p.nextTask = null;
    p.prevTask = null;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Model utilities: not kernel code, not on any path a benchmark measures
  // -----------------------------------------------------------------------------------------------------------

  /** @return the running task */
  public final Task current() {
    return current;
  }

  /** @return init, pid 1 */
  public final Task initProcess() {
    return initProcess;
  }

  /** @return the idle task, pid 0, head of the task list */
  public final Task idleTask() {
    return initTask;
  }

  /** @return context switches so far */
  public final long contextSwitches() {
    return contextSwitches;
  }

  /**
   * Finds a task by pid, for tests and workload setup.
   *
   * @param pid a process id
   * @return the task, or {@code null}
   */
  public final Task findTask(final int pid) {
    for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
      if (p.pid == pid) {
        return p;
      }
    }
    return null;
  }

  /**
   * Maps a task to the Java thread that plays its processor when the program runs on real threads:
   * {@link #wakeUpProcess} unparks that thread.
   *
   * @param task a task of this kernel
   * @param cpu  the thread, or {@code null} to unmap
   */
  public final void attachCpu(final Task task, final Thread cpu) {
    task.thread = cpu;
  }

  /**
   * Gives a task the user program the run loop executes for it (a stand-in for {@code exec}).
   *
   * @param task    a task of this kernel
   * @param program its user-mode code
   */
  public final void attachProgram(final Task task, final UserProgram program) {
    task.program = program;
  }
}
