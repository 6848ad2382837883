package org.quasi.cases.signals;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole observable state of a kernel model as values: two kernels that ran the same operations must have equal
 * snapshots, whatever their variant.
 *
 * @param currentPid      the pid of {@code current}
 * @param runQueue        the pids on the run queue, in queue order
 * @param tasks           every task of the list, idle task first, in list order
 * @param lastPid         the last pid handed out
 * @param needResched     the reschedule request
 * @param contextSwitches the context switches so far
 */
public record KernelSnapshot(int currentPid, List<Integer> runQueue, List<TaskSnapshot> tasks, int lastPid,
    boolean needResched, long contextSwitches) {

  /**
   * Takes the snapshot of a kernel.
   *
   * @param kernel the kernel
   * @return its state
   */
  public static KernelSnapshot of(final KernelCore kernel) {
    List<Integer> runQueue = new ArrayList<>();
    for (Task p = kernel.initTask.nextRun; p != kernel.initTask; p = p.nextRun) {
      runQueue.add(p.pid);
    }
    List<TaskSnapshot> tasks = new ArrayList<>();
    tasks.add(TaskSnapshot.of(kernel, kernel.initTask));
    for (Task p = kernel.initTask.nextTask; p != kernel.initTask; p = p.nextTask) {
      tasks.add(TaskSnapshot.of(kernel, p));
    }
    return new KernelSnapshot(kernel.current.pid, List.copyOf(runQueue), List.copyOf(tasks), kernel.lastPid,
        kernel.needResched, kernel.contextSwitches);
  }
}
