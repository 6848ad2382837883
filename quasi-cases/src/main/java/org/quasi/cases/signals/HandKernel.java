package org.quasi.cases.signals;

import static org.quasi.cases.signals.Errno.EINVAL;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Errno.ESRCH;
import static org.quasi.cases.signals.Signals.NSIG;
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
import static org.quasi.cases.signals.TaskState.PF_PTRACED;
import static org.quasi.cases.signals.TaskState.PF_SUPERPRIV;
import static org.quasi.cases.signals.TaskState.TASK_INTERRUPTIBLE;

/**
 * The hand-specialized kernel: what the paper's authors did by hand (§4.1.1), in Java. It is the baseline a Quasi
 * specialization must match, and it must be exactly as correct as the generic kernel.
 *
 * <p><b>The cache.</b> {@link #killProc} first looks at the sender's {@code last_sig_to} entry ({@link HandTask});
 * when it matches the pid and signal and is still valid, the task-list search is skipped and {@link #kpCached}, a
 * hand fold of {@code send_sig} and {@code generate} in the spirit of the paper's Figure 4 ({@code kp_usr1}), runs
 * with the permission test and the signal-number tests already decided. On a miss it searches, fills the entry and
 * runs the generic {@code send_sig}.
 *
 * <p><b>How it learns of changes.</b> Every entry records the kernel's {@code generation}; a write to anything an
 * entry folded increments it, which invalidates every entry at once. The writes were found by hand, as the paper's
 * authors had to find them, by reading which fields the folded code no longer reads:
 * <ul>
 *   <li>{@code uid}, {@code euid}, {@code suid} of sender or target (the permission test): {@link #sysSetuid},
 *       {@link #sysSetreuid};</li>
 *   <li>the target's handler for the signal (whether it is ignorable): {@link #sysSigaction} and the one-shot reset
 *       in {@link #handleSignal};</li>
 *   <li>which task the pid names (the search): {@link #release}, which takes a task off the list and may later let
 *       its pid be reused.</li>
 * </ul>
 * The other writes need no hook, and why: {@code session} matters to the permission test only for SIGCONT, which the
 * folded code sends through the generic {@code send_sig}, so {@code setsid} needs none; {@code fork} appends a task
 * whose pid no task had, so no search result changes; {@code exit} sets the target's {@code sig} to {@code null},
 * which the folded code still tests, as Figure 4 does; {@code blocked}, {@code signal}, {@code state} and {@code
 * flags} of the target are read by the folded code; {@code current} selects whose entry is used, so a context switch
 * needs nothing; {@code setpgid} changes only the process group, which {@code kill_proc} never reads.
 *
 * @implNote Signals with job-control side effects (SIGKILL, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU) use the
 *     cached target but the generic {@code send_sig}: the paper specialized the ordinary SIGUSR1 and signal 0 only.
 *     Only unprivileged sends ({@code priv == 0}, what {@code sys_kill} makes) are cached.
 */
public final class HandKernel extends Kernel {

  /** Folded permission: the ids or the session allow the send. */
  static final int PERMITTED = 0;
  /** Folded permission: only the super-user test allows it, which marks the sender {@code PF_SUPERPRIV}. */
  static final int BY_SUSER = 1;
  /** Folded permission: {@code -EPERM}. */
  static final int DENIED = 2;

  /** Folded signal number: 0, a permission probe. */
  static final int PROBE = 0;
  /** Folded signal number: an ordinary signal (no job-control side effect). */
  static final int ORDINARY = 1;
  /** Folded signal number: a job-control signal, sent by the generic code. */
  static final int JOB = 2;

  /** Incremented by every write that can change what a cache entry folded; entries of older generations are stale. */
  private int generation;

  /** Boots a hand-specialized kernel: the idle task and init, with init current. */
  public HandKernel() {
    super(HandTask::new);
  }

  // -----------------------------------------------------------------------------------------------------------
  // The specialized kill path
  // -----------------------------------------------------------------------------------------------------------

  @Override
  public int killProc(final int pid, final int sig, final int priv) {
    HandTask sender = (HandTask) current;
    if (priv == 0 && sender.lastSigTo != null && sender.lastPid == pid && sender.lastSig == sig
        && sender.lastGeneration == generation) {
      return kpCached(sender, sender.lastSigTo, sig);
    }
    if (sig < 0 || sig > NSIG) {
      return -EINVAL;
    }
    for (Task p = initTask.nextTask; p != initTask; p = p.nextTask) {
      if (p.pid == pid) {
        if (priv == 0) {
          remember(sender, p, pid, sig);
        }
        return sendSig(sig, p, priv);
      }
    }
    return -ESRCH;
  }

  /**
   * {@code send_sig} and {@code generate} folded for one (sender, target, signal): the tests on quasi-invariant
   * values are decided in the entry, only the dynamic state of the target is read.
   */
  private int kpCached(final HandTask sender, final Task p, final int sig) {
    if (sender.lastKind == JOB) {
      return sendSig(sig, p, 0);
    }
    if (sender.lastPermission == DENIED) {
      return -EPERM;
    }
    if (sender.lastPermission == BY_SUSER) {
      sender.flags |= PF_SUPERPRIV;
    }
    if (sender.lastKind == PROBE) {
      return 0;
    }
    if (p.sig == null) {
      return 0;
    }
    int mask = 1 << (sig - 1);
    if (sender.lastIgnorable && (mask & p.blocked) == 0 && (p.flags & PF_PTRACED) == 0) {
      return 0;
    }
    p.signal |= mask;
    if (p.state == TASK_INTERRUPTIBLE && (p.signal & ~p.blocked) != 0) {
      wakeUpProcess(p);
    }
    return 0;
  }

  /** Fills the sender's entry: decides what the folded code will not test again. Has no side effect. */
  private void remember(final HandTask sender, final Task p, final int pid, final int sig) {
    sender.lastSigTo = p;
    sender.lastPid = pid;
    sender.lastSig = sig;
    sender.lastGeneration = generation;
    boolean idsOrSessionAllow = !((sig != SIGCONT || sender.session != p.session)
        && (sender.euid ^ p.suid) != 0 && (sender.euid ^ p.uid) != 0
        && (sender.uid ^ p.suid) != 0 && (sender.uid ^ p.uid) != 0);
    sender.lastPermission = idsOrSessionAllow ? PERMITTED : sender.euid == 0 ? BY_SUSER : DENIED;
    if (sig == 0) {
      sender.lastKind = PROBE;
    } else if (sig == SIGKILL || sig == SIGCONT || sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN
        || sig == SIGTTOU) {
      sender.lastKind = JOB;
    } else {
      sender.lastKind = ORDINARY;
    }
    sender.lastIgnorable = false;
    if (sig > 0 && p.sig != null) {
      SignalHandler handler = p.sig.action[sig - 1].handler;
      sender.lastIgnorable = handler == SignalHandler.SIG_IGN && sig != SIGCHLD
          || handler == SignalHandler.SIG_DFL && (sig == SIGCONT || sig == SIGCHLD || sig == SIGWINCH
          || sig == SIGURG);
    }
  }

  /**
   * Whether a kill by {@code sender} of {@code pid} with {@code sig} would take the cached path now.
   *
   * @param sender a task of this kernel
   * @param pid    the pid
   * @param sig    the signal
   * @return whether the sender's entry matches and is of the current generation
   */
  boolean cacheHolds(final Task sender, final int pid, final int sig) {
    HandTask s = (HandTask) sender;
    return s.lastSigTo != null && s.lastPid == pid && s.lastSig == sig && s.lastGeneration == generation;
  }

  // -----------------------------------------------------------------------------------------------------------
  // The hand-placed invalidation hooks: every write the folded code depends on
  // -----------------------------------------------------------------------------------------------------------

  @Override
  public int sysSetuid(final int uid) {
    generation++;
    return super.sysSetuid(uid);
  }

  @Override
  public int sysSetreuid(final int ruid, final int euid) {
    generation++;
    return super.sysSetreuid(ruid, euid);
  }

  @Override
  public int sysSigaction(final int signum, final SignalHandler handler, final int mask, final int flags) {
    generation++;
    return super.sysSigaction(signum, handler, mask, flags);
  }

  @Override
  void handleSignal(final int signr, final SigAction sa, final int oldmask) {
    if ((sa.flags & SA_ONESHOT) != 0) {
      generation++; // the handler is about to be reset to SIG_DFL
    }
    super.handleSignal(signr, sa, oldmask);
  }

  @Override
  void release(final Task p) {
    generation++;
    super.release(p);
  }
}
