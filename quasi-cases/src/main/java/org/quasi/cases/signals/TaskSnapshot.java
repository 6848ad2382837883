package org.quasi.cases.signals;

import java.util.List;

/**
 * Everything the kernel keeps about one task, as values, so that two kernels that ran the same operations can be
 * compared field by field (see {@link KernelSnapshot}).
 *
 * @param pid               process id
 * @param pgrp              process group
 * @param session           session
 * @param leader            whether it leads its session
 * @param uid               real uid
 * @param euid              effective uid
 * @param suid              saved uid
 * @param fsuid             file-system uid
 * @param state             one of the {@code TASK_*} values
 * @param signal            pending signals
 * @param blocked           blocked signals
 * @param flags             {@code PF_*} flags
 * @param exitCode          exit status or stop signal
 * @param exitSignal        signal sent to the parent on exit
 * @param parentPid         the parent's pid, or -1 for the idle task
 * @param counter           remaining time slice
 * @param onRunQueue        whether it is on the run queue
 * @param inSigsuspend      whether it waits in sigsuspend
 * @param sigsuspendOldmask the mask sigsuspend will restore
 * @param sigSharedWithPid  the pid of the first task in list order that uses the same sigaction table (itself if
 *                          none before it), or -1 once exited
 * @param actions           each sigaction entry as {@code handler/mask/flags}, or an empty list once exited
 */
public record TaskSnapshot(int pid, int pgrp, int session, boolean leader, int uid, int euid, int suid, int fsuid,
    int state, int signal, int blocked, int flags, int exitCode, int exitSignal, int parentPid, int counter,
    boolean onRunQueue, boolean inSigsuspend, int sigsuspendOldmask, int sigSharedWithPid,
    List<String> actions) {

  /**
   * Takes the snapshot of a task.
   *
   * @param kernel the kernel the task belongs to
   * @param p      the task
   * @return its snapshot
   */
  static TaskSnapshot of(final KernelCore kernel, final Task p) {
    int sharedWith = -1;
    List<String> actions = List.of();
    if (p.sig != null) {
      for (Task q = kernel.initTask.nextTask; q != kernel.initTask; q = q.nextTask) {
        if (q.sig == p.sig) {
          sharedWith = q.pid;
          break;
        }
      }
      String[] entries = new String[Signals.NSIG];
      for (int i = 0; i < entries.length; i++) {
        SigAction sa = p.sig.action[i];
        entries[i] = sa.handler.name() + "/" + Integer.toHexString(sa.mask) + "/"
            + Integer.toHexString(sa.flags);
      }
      actions = List.of(entries);
    }
    return new TaskSnapshot(p.pid, p.pgrp, p.session, p.leader, p.uid, p.euid, p.suid, p.fsuid, p.state,
        p.signal, p.blocked, p.flags, p.exitCode, p.exitSignal, p.parent == null ? -1 : p.parent.pid,
        p.counter, p.nextRun != null, p.inSigsuspend, p.sigsuspendOldmask, sharedWith, actions);
  }
}
