package org.quasi.cases.signals;

/**
 * The user-mode code of a model process, run by the kernel model's own scheduler.
 *
 * <p>A real process runs machine instructions between system calls and can be preempted anywhere; a model process is
 * a state machine whose {@link #step} performs one small user action (typically one system call or one update of
 * shared user memory) and returns. The run loop calls {@code step} only when the task is current, runnable and has
 * been through the return-to-user-mode signal check; it may preempt the task between any two steps.
 */
public interface UserProgram {

  /**
   * Executes one step of the program in task {@code self}, which is the kernel's {@code current}.
   *
   * @param kernel the kernel to make system calls on
   * @param self   the task running the program
   */
  void step(Kernel kernel, Task self);

  /**
   * @return whether the program has finished (it then calls {@code exit} in its last step)
   */
  boolean finished();
}
