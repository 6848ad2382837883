package org.quasi.cases.signals;

import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.TaskState.TASK_RUNNING;

import java.util.ArrayList;
import java.util.List;

/**
 * One operation of a random history, applied the same way to every kernel. Choices ("picks") are resolved against
 * the kernel's current tasks when the operation runs, by position in the task list, so one history means the same
 * thing on every variant as long as the variants agree, which the property checks after every step.
 */
sealed interface Op {


  /** Signals the histories draw from: ordinary, job-control, default-ignored, probe and invalid numbers. */
  int[] SIGNALS = {0, Signals.SIGUSR1, Signals.SIGUSR1, Signals.SIGUSR1, Signals.SIGUSR2, Signals.SIGTERM,
    Signals.SIGCHLD, Signals.SIGCONT, Signals.SIGSTOP, Signals.SIGKILL, Signals.SIGWINCH, Signals.SIGURG,
    Signals.SIGTSTP, 32, 33, -1, -10};

  /** User ids the histories draw from. */
  int[] UIDS = {0, 500, 500, 600, -1};

  /** Caps the population so histories stay quick. */
  int MAX_TASKS = 16;

  /**
   * Applies the operation to a kernel, as {@code current} (or as the task it names), then returns to user mode.
   *
   * @param k        the kernel
   * @param handlers the kernel's own handlers, H1 and H2, in that order
   * @return the system calls' return values, in order
   */
  List<Integer> apply(Kernel k, List<SignalHandler> handlers);

  /** Every task but the idle task, in list order. */
  static List<Task> tasks(final Kernel k) {
    List<Task> all = new ArrayList<>();
    for (Task p = k.idleTask().nextTask; p != k.idleTask(); p = p.nextTask) {
      all.add(p);
    }
    return all;
  }

  /** Tasks that could be running user code now. */
  static List<Task> runnable(final Kernel k) {
    List<Task> all = new ArrayList<>();
    for (Task p : tasks(k)) {
      if (p.state == TASK_RUNNING) {
        all.add(p);
      }
    }
    return all;
  }

  /** What every system call ends with: the way back to user mode, and a switch away from a task that cannot run. */
  static void returnToUser(final Kernel k) {
    k.returnToUser();
    if (k.current().state() != TASK_RUNNING) {
      k.schedule();
    }
  }

  /**
   * kill with one of the four pid forms, sent {@code repeat} times. Pids and groups are absolute numbers up to one
   * past the last pid handed out, so the same pid is signalled again and again, before and after its task changes
   * or disappears: exactly the situations a cache must get right.
   */
  record Kill(int form, int pick, int sigIndex, int repeat) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      return send(k, pid(k));
    }

    /** Resolves the pid argument against the kernel's pids. */
    int pid(final Kernel k) {
      int number = pick % 31 == 30 ? 9999 : 1 + pick % (k.lastPid + 1);
      return switch (form) {
        case 0 -> number;
        case 1 -> 0;
        case 2 -> -1;
        default -> -number;
      };
    }

    /** Sends the signal {@code repeat} times to an already resolved pid. */
    List<Integer> send(final Kernel k, final int pid) {
      int sig = SIGNALS[sigIndex % SIGNALS.length];
      List<Integer> results = new ArrayList<>();
      for (int i = 0; i < repeat; i++) {
        results.add(k.sysKill(pid, sig));
        returnToUser(k);
      }
      return results;
    }
  }

  /**
   * The same kill before and after another operation, the shape of every guard firing: a quasi-invariant changes
   * between two otherwise identical kills. The change is made by the target of the kill when {@code byTarget} and
   * the target can run (a target that installs a handler or changes its uid), else by the sender; the second kill is
   * made by the sender again when it can still run.
   */
  record KillAround(Kill kill, Op change, boolean byTarget) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      int pid = kill.pid(k);
      Task sender = k.current();
      List<Integer> results = new ArrayList<>(kill.send(k, pid));
      Task target = pid > 0 ? k.findTask(pid) : null;
      if (byTarget && target != null && target.state == TASK_RUNNING && k.current() != target) {
        k.switchTo(target);
        returnToUser(k);
      }
      if (k.current().state == TASK_RUNNING) {
        // A target that changes a handler changes the one of the signal it is being sent.
        Op made = byTarget && change instanceof Sigaction sa
            ? new Sigaction(kill.sigIndex(), sa.handlerIndex(), sa.flagsIndex(), sa.mask()) : change;
        results.addAll(made.apply(k, handlers));
      }
      if (sender.state == TASK_RUNNING && k.current() != sender) {
        k.switchTo(sender);
        returnToUser(k);
      }
      results.addAll(kill.send(k, pid));
      return results;
    }
  }

  /** setuid. */
  record Setuid(int uidIndex) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      int r = k.sysSetuid(Math.max(0, UIDS[uidIndex % UIDS.length]));
      returnToUser(k);
      return List.of(r);
    }
  }

  /** setreuid, and so seteuid when the real uid is -1. */
  record Setreuid(int ruidIndex, int euidIndex) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      int r = k.sysSetreuid(UIDS[ruidIndex % UIDS.length], UIDS[euidIndex % UIDS.length]);
      returnToUser(k);
      return List.of(r);
    }
  }

  /** fork or clone; the child shares the sigaction table when {@code sighand}. */
  record Fork(boolean sighand, boolean childSignal) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      if (tasks(k).size() >= MAX_TASKS) {
        return List.of();
      }
      int flags = (sighand ? Kernel.CLONE_SIGHAND : 0) | (childSignal ? SIGCHLD : 0);
      int r = k.doFork(flags);
      returnToUser(k);
      return List.of(r);
    }
  }

  /** A runnable task exits; its parent reaps it at once when {@code reap} and it can run. */
  record Exit(int pick, int code, boolean reap) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      List<Task> candidates = new ArrayList<>();
      for (Task p : runnable(k)) {
        if (p.pid > 1) {
          candidates.add(p);
        }
      }
      if (candidates.isEmpty()) {
        return List.of();
      }
      Task t = candidates.get(pick % candidates.size());
      k.switchTo(t);
      k.sysExit(code);
      k.schedule();
      List<Integer> results = new ArrayList<>();
      if (reap && t.parent.state == TASK_RUNNING) {
        k.switchTo(t.parent);
        results.add(k.sysWait(t.pid, t.exitSignal != SIGCHLD));
        returnToUser(k);
      }
      return results;
    }
  }

  /** sigaction with SIG_DFL, SIG_IGN, H1 or H2. */
  record Sigaction(int sigIndex, int handlerIndex, int flagsIndex, int mask) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      SignalHandler handler = switch (handlerIndex % 4) {
        case 0 -> SignalHandler.SIG_DFL;
        case 1 -> SignalHandler.SIG_IGN;
        case 2 -> handlers.get(0);
        default -> handlers.get(1);
      };
      int flags = switch (flagsIndex % 4) {
        case 0 -> Signals.SA_ONESHOT;
        case 1 -> Signals.SA_NOMASK;
        default -> 0;
      };
      int r = k.sysSigaction(SIGNALS[sigIndex % SIGNALS.length], handler, mask, flags);
      returnToUser(k);
      return List.of(r);
    }
  }

  /** sigprocmask, with an invalid {@code how} now and then. */
  record Sigprocmask(int how, int set) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      int r = k.sysSigprocmask(how, set);
      returnToUser(k);
      return List.of(r);
    }
  }

  /** setsid. */
  record Setsid() implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      int r = k.sysSetsid();
      returnToUser(k);
      return List.of(r);
    }
  }

  /** setpgid of the caller or of another task, into its own or another task's group. */
  record Setpgid(int pidPick, int pgidPick) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      List<Task> all = tasks(k);
      int pid = pidPick % 3 == 0 ? 0 : all.get(pidPick % all.size()).pid;
      int pgid = pgidPick % 3 == 0 ? 0 : pgidPick % 5 == 4 ? 9999 : all.get(pgidPick % all.size()).pgrp;
      int r = k.sysSetpgid(pid, pgid);
      returnToUser(k);
      return List.of(r);
    }
  }

  /** A context switch to the task with a given pid, if it is runnable (used to set histories up). */
  record SwitchToPid(int pid) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      Task t = k.findTask(pid);
      if (t != null && t.state == TASK_RUNNING) {
        k.switchTo(t);
        returnToUser(k);
      }
      return List.of();
    }
  }

  /** A context switch to a runnable task. */
  record Switch(int pick) implements Op {
    @Override
    public List<Integer> apply(final Kernel k, final List<SignalHandler> handlers) {
      List<Task> candidates = runnable(k);
      k.switchTo(candidates.get(pick % candidates.size()));
      returnToUser(k);
      return List.of();
    }
  }
}
