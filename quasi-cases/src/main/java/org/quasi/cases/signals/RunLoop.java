package org.quasi.cases.signals;

import static org.quasi.cases.signals.TaskState.TASK_RUNNING;

/**
 * The processor of the kernel model: runs the tasks' {@link UserProgram}s under the model's own scheduler, so that
 * signal delivery and scheduling cost what they cost in the kernel, not what Java threads cost.
 *
 * <p>Each iteration is one trip through user mode: the current task returns to user mode (pending signals are
 * delivered, a sigsuspend may complete), runs one step of its program, and takes a timer tick; whenever it is no
 * longer runnable or its slice is used up, {@link Kernel#schedule()} picks the next task. The loop ends when nothing
 * is runnable any more (only the idle task is left), which is the normal end once every program has exited.
 */
public final class RunLoop {

  private RunLoop() {
  }

  /**
   * Runs until no task is runnable.
   *
   * @param kernel   the kernel, with programs attached to the tasks that should run
   * @param maxSteps a bound on program steps, to turn a livelock into an error
   * @return the number of program steps executed
   * @throws IllegalStateException when {@code maxSteps} is exceeded
   */
  public static long run(final Kernel kernel, final long maxSteps) {
    long steps = 0;
    kernel.schedule();
    while (kernel.current != kernel.initTask) {
      Task cur = kernel.current;
      if (kernel.returnToUser()) {
        UserProgram program = cur.program;
        if (program == null || program.finished()) {
          // Nothing to run in user mode: the task waits for a signal, like a daemon blocked in select.
          kernel.sysPause();
        } else {
          program.step(kernel, cur);
          if (++steps > maxSteps) {
            throw new IllegalStateException("the run loop exceeded " + maxSteps
                + " program steps; last task pid " + cur.pid + ", state " + TaskState.name(cur.state));
          }
          kernel.timerTick();
        }
      }
      if (kernel.needResched || kernel.current != cur || cur.state != TASK_RUNNING) {
        kernel.schedule();
      }
    }
    return steps;
  }
}
