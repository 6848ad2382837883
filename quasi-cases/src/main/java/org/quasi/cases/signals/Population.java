package org.quasi.cases.signals;

import static org.quasi.cases.signals.Signals.SIGCHLD;

/**
 * Builds the process populations the paper measured on: a multi-user system of about 62 processes (an X server,
 * xterms, shells and daemons, mostly asleep) and single-user mode with about 10. The processes are forked from init
 * exactly as the kernel would fork them, so they sit in the task list in creation order, and a test program forked
 * last sits at its end, where {@code kill_proc}'s search finds it last, as on the real system.
 */
public final class Population {

  /** The user logged in on the multi-user system. */
  public static final int USER = 500;

  private Population() {
  }

  /**
   * Forks {@code daemons} sleeping processes from init, every third one root and the others the logged-in user's,
   * then puts init to sleep too. Leaves init current.
   *
   * @param kernel  a freshly booted kernel
   * @param daemons how many background processes to create
   */
  public static void background(final Kernel kernel, final int daemons) {
    Task init = kernel.initProcess();
    kernel.switchTo(init);
    for (int i = 0; i < daemons; i++) {
      Task daemon = kernel.findTask(kernel.doFork(SIGCHLD));
      kernel.switchTo(daemon);
      if (i % 3 != 0) {
        kernel.sysSetuid(USER);
      }
      kernel.sysPause();
      kernel.scheduleOut();
      kernel.switchTo(init);
    }
  }

  /**
   * Forks a process of the logged-in user from init and makes it current; init goes to sleep.
   *
   * @param kernel a kernel with its background population
   * @return the new process, now current
   */
  public static Task userProcess(final Kernel kernel) {
    Task init = kernel.initProcess();
    kernel.switchTo(init);
    Task process = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.sysPause();
    kernel.scheduleOut();
    kernel.switchTo(process);
    kernel.sysSetuid(USER);
    return process;
  }

  /**
   * Counts the tasks {@code for_each_task} visits (every task but the idle task).
   *
   * @param kernel the kernel
   * @return the number of processes
   */
  public static int processes(final Kernel kernel) {
    int n = 0;
    for (Task p = kernel.initTask.nextTask; p != kernel.initTask; p = p.nextTask) {
      n++;
    }
    return n;
  }
}
