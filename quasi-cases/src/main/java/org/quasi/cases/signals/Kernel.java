package org.quasi.cases.signals;

import static org.quasi.cases.signals.Errno.EINVAL;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Errno.ESRCH;
import static org.quasi.cases.signals.Signals.BLOCKABLE;
import static org.quasi.cases.signals.Signals.NSIG;
import static org.quasi.cases.signals.Signals.SA_NOCLDSTOP;
import static org.quasi.cases.signals.Signals.SA_NOMASK;
import static org.quasi.cases.signals.Signals.SA_ONESHOT;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGCONT;
import static org.quasi.cases.signals.Signals.SIGKILL;
import static org.quasi.cases.signals.Signals.SIGSTOP;
import static org.quasi.cases.signals.Signals.SIGTSTP;
import static org.quasi.cases.signals.Signals.SIGTTIN;
import static org.quasi.cases.signals.Signals.SIGTTOU;
import static org.quasi.cases.signals.Signals.SIGURG;
import static org.quasi.cases.signals.Signals.SIGWINCH;
import static org.quasi.cases.signals.Signals.SIG_BLOCK;
import static org.quasi.cases.signals.Signals.SIG_SETMASK;
import static org.quasi.cases.signals.Signals.SIG_UNBLOCK;
import static org.quasi.cases.signals.Signals.mask;
import static org.quasi.cases.signals.TaskState.PF_PTRACED;
import static org.quasi.cases.signals.TaskState.PF_SIGNALED;
import static org.quasi.cases.signals.TaskState.PF_SUPERPRIV;
import static org.quasi.cases.signals.TaskState.TASK_INTERRUPTIBLE;
import static org.quasi.cases.signals.TaskState.TASK_RUNNING;
import static org.quasi.cases.signals.TaskState.TASK_STOPPED;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The generic kernel: a Java port of Linux 2.0's signal sending path ({@code kernel/exit.c}: {@code sys_kill},
 * {@code kill_pg}, {@code kill_proc}, {@code send_sig}, {@code generate}), of {@code wake_up_process} and the
 * scheduler ({@code kernel/sched.c}), of signal delivery on the way back to user mode ({@code do_signal} and
 * {@code handle_signal} of {@code arch/i386/kernel/signal.c}) and of the system calls that change what the kill path
 * depends on: {@code setuid}, {@code setreuid}, {@code setsid}, {@code setpgid} ({@code kernel/sys.c}), {@code fork}
 * ({@code kernel/fork.c}), {@code exit} and {@code wait4} ({@code kernel/exit.c}), {@code sigaction} and
 * {@code sigprocmask} ({@code kernel/signal.c}), {@code sigsuspend}, and the context switch.
 *
 * <p>This is the code a specializer reads: plain Java with no cache and no indirection the C code does not have.
 * The task list is the kernel's circular doubly linked list headed by the idle task (see {@link KernelCore}),
 * searched linearly by {@link #killProc}; {@code current} is a plain field. Every field of {@link Task},
 * {@link SigAction} and {@link SignalStruct} is written only here and in {@link KernelCore}, in the methods named
 * above, so the writes a guard must catch are exactly the assignments in these two files.
 *
 * <p>The kernel is a uniprocessor kernel and is not thread-safe: callers serialize every call, as the scheduled run
 * loop does by construction and the threaded run holds one big kernel lock.
 *
 * @implNote What is not ported, and what happens instead: ptrace (no operation sets {@code PF_PTRACED}, so the
 *     traced branches of {@code do_signal} are absent); core dumps (a core-dumping signal terminates like the others);
 *     system call restarting ({@code -ERESTART*} codes do not exist in the model); timeouts, wait queues and
 *     {@code wake_up_interruptible} of the parent on exit; the orphaned-process-group SIGHUP/SIGCONT of
 *     {@code exit_notify}; {@code did_exec} in {@code setpgid} (model processes never exec). The source's
 *     {@code schedule()} calls from {@code do_exit} and from the stop case of {@code do_signal} do not suspend a Java
 *     call stack: those paths return and leave the switch to their caller ({@link RunLoop}, a test), which must call
 *     {@link #schedule()} when {@code current} is no longer runnable.
 */
public class Kernel extends KernelCore {

  /** Boots a generic kernel: the idle task and init (pid 1, root), with init current. */
  public Kernel() {
    this(Task::new);
  }

  /**
   * Boots a kernel whose tasks the factory makes.
   *
   * @param taskFactory makes a blank task; called for the idle task, init and every fork
   */
  protected Kernel(final Supplier<? extends Task> taskFactory) {
    super(taskFactory);
  }

  // -----------------------------------------------------------------------------------------------------------
  // The kill path (kernel/exit.c)
  // -----------------------------------------------------------------------------------------------------------

  /**
   * The {@code kill} system call of {@code current}: signal one process ({@code pid > 0}), the caller's process
   * group ({@code 0}), every process but init and the caller ({@code -1}) or process group {@code -pid}.
   *
   * @param pid whom to signal
   * @param sig the signal, or 0 to probe permission
   * @return 0, or {@code -EINVAL}, {@code -EPERM}, {@code -ESRCH}
   */
  public int sysKill(final int pid, final int sig) {
    int err;
    int retval = 0;
    int count = 0;

    if (pid == 0) {
      return killPg(current.pgrp, sig, 0);
    }
    if (pid == -1) {
      for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
        if (p.pid > 1 && p != current) {
          ++count;
          if ((err = sendSig(sig, p, 0)) != -EPERM) {
            retval = err;
          }
        }
      }
      return count != 0 ? retval : -ESRCH;
    }
    if (pid < 0) {
      return killPg(-pid, sig, 0);
    }
    return killProc(pid, sig, 0);
  }

  /**
   * Sends a signal to every process of a group; succeeds if it reached at least one.
   *
   * @param pgrp the process group, positive
   * @param sig  the signal, 0 to 32
   * @param priv nonzero to skip the permission check
   * @return 0, or the last error
   */
  public int killPg(final int pgrp, final int sig, final int priv) {
    int err;
    int retval = -ESRCH;
    int found = 0;

    if (sig < 0 || sig > NSIG || pgrp <= 0) {
      return -EINVAL;
    }
    for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
      if (p.pgrp == pgrp) {
        if ((err = sendSig(sig, p, priv)) != 0) {
          retval = err;
        } else {
          found++;
        }
      }
    }
    return found != 0 ? 0 : retval;
  }

  /**
   * Sends a signal to the process {@code pid}, searching the task list for it: the function the paper specializes.
   *
   * @param pid  the process id
   * @param sig  the signal, 0 to 32
   * @param priv nonzero to skip the permission check
   * @return what {@link #sendSig} returns, or {@code -EINVAL}, {@code -ESRCH}
   */
  public int killProc(final int pid, final int sig, final int priv) {
    if (sig < 0 || sig > NSIG) {
      return -EINVAL;
    }
    for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
      if (p != null && p.pid == pid) {
        return sendSig(sig, p, priv);
      }
    }
    return -ESRCH;
  }

  /**
   * Checks permission and job-control side effects, then generates the signal.
   *
   * <p>The permission test is 2.0's: the sender may signal the target if it is privileged, if the signal is SIGCONT
   * within the session, if one of the sender's real or effective uid equals one of the target's real or saved
   * uid, or if the sender is the super-user ({@link #suser()}, which records the use of privilege).
   *
   * @param sig  the signal, 0 to 32 (the kernel's parameter is unsigned, so a negative number is out of range)
   * @param p    the target
   * @param priv nonzero to skip the permission check
   * @return 0, or {@code -EINVAL}, {@code -EPERM}
   */
  @Override
  public int sendSig(final int sig, final Task p, final int priv) {
    if (p == null || sig < 0 || sig > NSIG) {
      return -EINVAL;
    }
    if (priv == 0 && (sig != SIGCONT || current.session != p.session)
        && (current.euid ^ p.suid) != 0 && (current.euid ^ p.uid) != 0
        && (current.uid ^ p.suid) != 0 && (current.uid ^ p.uid) != 0
        && !suser()) {
      return -EPERM;
    }
    if (sig == 0) {
      return 0;
    }
    // Forget it if the process is already zombie'd.
    if (p.sig == null) {
      return 0;
    }
    if (sig == SIGKILL || sig == SIGCONT) {
      if (p.state == TASK_STOPPED) {
        wakeUpProcess(p);
      }
      p.exitCode = 0;
      p.signal &= ~(mask(SIGSTOP) | mask(SIGTSTP) | mask(SIGTTIN) | mask(SIGTTOU));
    }
    if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
      p.signal &= ~mask(SIGCONT);
    }
    generate(sig, p);
    return 0;
  }

  /**
   * Marks the signal pending, unless it would be ignored right away, and wakes an interruptible sleeper.
   *
   * @param sig the signal, 1 to 32
   * @param p   the target, not a zombie
   */
  void generate(final int sig, final Task p) {
    int mask = mask(sig);
    SigAction sa = p.sig.action[sig - 1];

    // Optimize away the signal if it can be handled immediately (not blocked, not traced) and is ignored,
    // explicitly or by default.
    if ((mask & p.blocked) == 0 && (p.flags & PF_PTRACED) == 0) {
      if (sa.handler == SignalHandler.SIG_IGN && sig != SIGCHLD) {
        return;
      }
      if (sa.handler == SignalHandler.SIG_DFL
          && (sig == SIGCONT || sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG)) {
        return;
      }
    }
    p.signal |= mask;
    if (p.state == TASK_INTERRUPTIBLE && (p.signal & ~p.blocked) != 0) {
      wakeUpProcess(p);
    }
  }

  /**
   * Whether {@code current} is the super-user; records the use of privilege in its flags, as 2.0 does.
   *
   * @return {@code current.euid == 0}
   */
  public boolean suser() {
    if (current.euid == 0) {
      current.flags |= PF_SUPERPRIV;
      return true;
    }
    return false;
  }

  // -----------------------------------------------------------------------------------------------------------
  // Delivery on the way back to user mode (arch/i386/kernel/signal.c)
  // -----------------------------------------------------------------------------------------------------------

  /**
   * What {@code ret_from_sys_call} does before {@code current} resumes user code: finish a sigsuspend if a handler
   * can run now, then deliver deliverable signals one handler at a time (each {@code sigreturn} comes back here).
   *
   * @return whether {@code current} may now run user code (it is runnable and not waiting in sigsuspend)
   */
  public boolean returnToUser() {
    Task cur = current;
    if (cur.inSigsuspend) {
      if (cur.state != TASK_RUNNING || doSignal(cur.sigsuspendOldmask) == 0) {
        if (cur.state == TASK_RUNNING && cur.inSigsuspend) {
          cur.state = TASK_INTERRUPTIBLE; // sys_sigsuspend loops: sleep again
        }
        return false;
      }
      cur.inSigsuspend = false; // sigsuspend returns -EINTR
    }
    while (cur.state == TASK_RUNNING && (cur.signal & ~cur.blocked) != 0) {
      if (doSignal(cur.blocked) == 0) {
        break;
      }
    }
    return cur == current && cur.state == TASK_RUNNING;
  }

  /**
   * Takes {@code current}'s deliverable signals in order: ignored ones are dropped, default actions are carried
   * out (stop, terminate, nothing), and the first one with a handler is handled.
   *
   * @param oldmask the blocked set the handler's {@code sigreturn} restores
   * @return 1 if a handler ran, else 0
   */
  public int doSignal(final int oldmask) {
    Task cur = current;
    int mask = ~cur.blocked;
    int signr;
    while ((signr = cur.signal & mask) != 0) {
      signr = Integer.numberOfTrailingZeros(signr);
      cur.signal &= ~(1 << signr);
      SigAction sa = cur.sig.action[signr];
      signr++;
      if (sa.handler == SignalHandler.SIG_IGN) {
        if (signr != SIGCHLD) {
          continue;
        }
        // SIGCHLD explicitly ignored: reap the zombie children.
        while (sysWait(-1, false) > 0) {
          // nothing
        }
        continue;
      }
      if (sa.handler == SignalHandler.SIG_DFL) {
        if (cur.pid == 1) {
          continue;
        }
        switch (signr) {
          case SIGCONT, SIGCHLD, SIGWINCH -> {
            continue;
          }
          case SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU -> {
            if ((cur.flags & PF_PTRACED) != 0) {
              continue;
            }
            cur.state = TASK_STOPPED;
            cur.exitCode = signr;
            Task parent = cur.parent;
            if (parent.sig == null || (parent.sig.action[SIGCHLD - 1].flags & SA_NOCLDSTOP) == 0) {
              notifyParent(cur);
            }
            return 0; // the source schedules here; the caller does (see the class note)
          }
          default -> {
            cur.signal |= mask(signr & 0x7f);
            cur.flags |= PF_SIGNALED;
            doExit(signr);
            return 0;
          }
        }
      }
      handleSignal(signr, sa, oldmask);
      return 1;
    }
    return 0;
  }

  /**
   * Runs a handler as the signal frame would: with its mask blocked, a one-shot handler reset first, and the
   * blocked set restored by the implicit {@code sigreturn}.
   *
   * @param signr   the signal
   * @param sa      its sigaction entry
   * @param oldmask the blocked set to restore
   */
  void handleSignal(final int signr, final SigAction sa, final int oldmask) {
    Task cur = current;
    SignalHandler handler = sa.handler; // setup_frame: the handler is where user mode resumes
    if ((sa.flags & SA_ONESHOT) != 0) {
      sa.handler = SignalHandler.SIG_DFL;
    }
    cur.blocked |= sa.mask;
    handler.handle(this, cur, signr);
    cur.blocked = oldmask & BLOCKABLE; // sigreturn
  }

  // -----------------------------------------------------------------------------------------------------------
  // System calls that change what the kill path depends on
  // -----------------------------------------------------------------------------------------------------------

  /**
   * {@code setuid}: the super-user sets all three uids; others may set the effective uid to their real or saved
   * uid.
   *
   * @param uid the new uid
   * @return 0 or {@code -EPERM}
   */
  public int sysSetuid(final int uid) {
    if (suser()) {
      current.uid = uid;
      current.euid = uid;
      current.suid = uid;
      current.fsuid = uid;
    } else if (uid == current.uid || uid == current.suid) {
      current.fsuid = uid;
      current.euid = uid;
    } else {
      return -EPERM;
    }
    return 0;
  }

  /**
   * {@code setreuid}, BSD style with saved ids; {@code -1} leaves an id unchanged. {@code seteuid(e)} is
   * {@code setreuid(-1, e)}.
   *
   * @param ruid the new real uid, or -1
   * @param euid the new effective uid, or -1
   * @return 0 or {@code -EPERM}
   */
  public int sysSetreuid(final int ruid, final int euid) {
    int oldRuid = current.uid;
    if (ruid != -1) {
      if (oldRuid == ruid || current.euid == ruid || suser()) {
        current.uid = ruid;
      } else {
        return -EPERM;
      }
    }
    if (euid != -1) {
      if (oldRuid == euid || current.euid == euid || current.suid == euid || suser()) {
        current.fsuid = euid;
        current.euid = euid;
      } else {
        current.uid = oldRuid;
        return -EPERM;
      }
    }
    if (ruid != -1 || (euid != -1 && euid != oldRuid)) {
      current.suid = current.euid;
    }
    current.fsuid = current.euid;
    return 0;
  }

  /**
   * {@code seteuid}, as the C library of Linux 2.0 implements it: {@code setreuid(-1, euid)}.
   *
   * @param euid the new effective uid
   * @return 0 or {@code -EPERM}
   */
  public final int sysSeteuid(final int euid) {
    return sysSetreuid(-1, euid);
  }

  /**
   * {@code setsid}: a process that does not lead a session starts one, as leader of a new process group.
   *
   * @return the new process group id, or {@code -EPERM} for a session leader
   */
  public int sysSetsid() {
    if (current.leader) {
      return -EPERM;
    }
    current.leader = true;
    current.session = current.pid;
    current.pgrp = current.pid;
    return current.pgrp;
  }

  /**
   * {@code setpgid}: moves {@code current} or one of its children into a process group of the caller's session.
   *
   * @param pid  the process, 0 for the caller
   * @param pgid the group, 0 for {@code pid}
   * @return 0, or {@code -EINVAL}, {@code -ESRCH}, {@code -EPERM}
   */
  public int sysSetpgid(final int pid, final int pgid) {
    int target = pid == 0 ? current.pid : pid;
    int group = pgid == 0 ? target : pgid;
    if (group < 0) {
      return -EINVAL;
    }
    Task p = initTask.nextTask;
    while (p != initTask && p.pid != target) {
      p = p.nextTask;
    }
    if (p == initTask) {
      return -ESRCH;
    }
    if (p.parent == current) {
      if (p.session != current.session) {
        return -EPERM;
      }
    } else if (p != current) {
      return -ESRCH;
    }
    if (p.leader) {
      return -EPERM;
    }
    if (group != target) {
      Task tmp = initTask.nextTask;
      while (tmp != initTask && !(tmp.pgrp == group && tmp.session == current.session)) {
        tmp = tmp.nextTask;
      }
      if (tmp == initTask) {
        return -EPERM;
      }
    }
    p.pgrp = group;
    return 0;
  }

  /**
   * {@code sigaction} by {@code current}: installs a handler in its (possibly shared) sigaction table.
   *
   * @param signum  the signal, 1 to 32 but not SIGKILL or SIGSTOP
   * @param handler the handler, {@link SignalHandler#SIG_DFL} or {@link SignalHandler#SIG_IGN}
   * @param mask    extra signals to block while the handler runs
   * @param flags   {@code SA_*} flags
   * @return 0 or {@code -EINVAL}
   */
  public int sysSigaction(final int signum, final SignalHandler handler, final int mask, final int flags) {
    Objects.requireNonNull(handler, "handler (use SignalHandler.SIG_DFL or SIG_IGN for the special actions)");
    if (signum < 1 || signum > NSIG || signum == SIGKILL || signum == SIGSTOP) {
      return -EINVAL;
    }
    SigAction p = current.sig.action[signum - 1];
    int saMask = (flags & SA_NOMASK) != 0 ? 0 : (mask | mask(signum)) & BLOCKABLE;
    p.handler = handler;
    p.mask = saMask;
    p.flags = flags;
    checkPending(signum);
    return 0;
  }

  /** POSIX 3.3.1.3: a pending signal whose new action is to ignore it is discarded. */
  private void checkPending(final int signum) {
    SigAction p = current.sig.action[signum - 1];
    if (p.handler == SignalHandler.SIG_IGN) {
      if (signum != SIGCHLD) {
        current.signal &= ~mask(signum);
      }
    } else if (p.handler == SignalHandler.SIG_DFL
        && (signum == SIGCONT || signum == SIGCHLD || signum == SIGWINCH)) {
      current.signal &= ~mask(signum);
    }
  }

  /**
   * {@code sigprocmask} by {@code current}; SIGKILL and SIGSTOP are never blocked.
   *
   * @param how {@link Signals#SIG_BLOCK}, {@link Signals#SIG_UNBLOCK} or {@link Signals#SIG_SETMASK}
   * @param set the signal set
   * @return 0 or {@code -EINVAL}
   */
  public int sysSigprocmask(final int how, final int set) {
    int newSet = set & BLOCKABLE;
    switch (how) {
      case SIG_BLOCK -> current.blocked |= newSet;
      case SIG_UNBLOCK -> current.blocked &= ~newSet;
      case SIG_SETMASK -> current.blocked = newSet;
      default -> {
        return -EINVAL;
      }
    }
    return 0;
  }

  /**
   * {@code sgetmask}: the blocked set of {@code current}.
   *
   * @return the blocked signals
   */
  public int sysSgetmask() {
    return current.blocked;
  }

  /**
   * {@code sigsuspend} by {@code current}, first half: swaps in the mask and goes to sleep interruptibly. The
   * caller must then schedule; the second half runs in {@link #returnToUser()} when the task is next current,
   * and the call "returns" {@code -EINTR} to user mode once a handler has run.
   *
   * @param set the blocked set while waiting
   */
  public void sysSigsuspend(final int set) {
    Task cur = current;
    cur.sigsuspendOldmask = cur.blocked;
    cur.blocked = set & BLOCKABLE;
    cur.inSigsuspend = true;
    cur.state = TASK_INTERRUPTIBLE;
  }

  /**
   * The first half of {@code pause}: {@code current} sleeps until a signal wakes it. The caller must schedule.
   */
  public void sysPause() {
    current.state = TASK_INTERRUPTIBLE;
  }

}
