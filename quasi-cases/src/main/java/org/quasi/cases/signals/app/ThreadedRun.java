package org.quasi.cases.signals.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Task;
import org.quasi.cases.signals.TaskState;

/**
 * Runs model threads on real Java threads, one per task: the same program as under {@link
 * org.quasi.cases.signals.RunLoop}, but the host schedules. Every step runs under one big kernel lock (the kernel is
 * a uniprocessor model); a task that goes to sleep parks its Java thread, and {@code wake_up_process} unparks the
 * thread mapped to the task it wakes. Here the cost of handing the processor from one Java thread to another dominates
 * the cost of the signals themselves.
 */
public final class ThreadedRun {

  private ThreadedRun() {
  }

  /**
   * Runs the threads to completion.
   *
   * @param kernel  the kernel
   * @param threads the model threads, each with its task
   * @param timeout how long to wait for them
   * @param unit    the unit of {@code timeout}
   * @throws IllegalStateException if they do not finish in time (a lost wake-up would show up here) or one failed
   * @throws InterruptedException  if the caller is interrupted while waiting
   */
  public static void run(final Kernel kernel, final List<ModelThread> threads, final long timeout,
      final TimeUnit unit) throws InterruptedException {
    ReentrantLock bigKernelLock = new ReentrantLock();
    List<Thread> cpus = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (ModelThread program : threads) {
      Thread cpu = new Thread(() -> runTask(kernel, bigKernelLock, program), "model-pid-" + program.task().pid());
      cpu.setDaemon(true);
      cpu.setUncaughtExceptionHandler((t, e) -> {
        synchronized (failures) {
          failures.add(e);
        }
      });
      kernel.attachCpu(program.task(), cpu);
      cpus.add(cpu);
    }
    cpus.forEach(Thread::start);
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    for (Thread cpu : cpus) {
      cpu.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    }
    for (Thread cpu : cpus) {
      if (cpu.isAlive()) {
        cpus.forEach(Thread::interrupt);
        throw new IllegalStateException("model threads did not finish within " + timeout + " " + unit
            + "; " + cpu.getName() + " is still waiting");
      }
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        throw new IllegalStateException("a model thread failed", failures.get(0));
      }
    }
  }

  /** The life of one Java thread: run the task's steps while it is runnable, park while it sleeps. */
  private static void runTask(final Kernel kernel, final ReentrantLock bigKernelLock, final ModelThread program) {
    Task task = program.task();
    while (true) {
      boolean sleeping;
      bigKernelLock.lock();
      try {
        kernel.switchTo(task);
        if (kernel.scheduleOut() && kernel.returnToUser()) {
          program.step(kernel, task);
          if (program.finished()) {
            return;
          }
        }
        if (task.state() == TaskState.TASK_ZOMBIE) {
          throw new IllegalStateException("pid " + task.pid() + " died before its program finished");
        }
        // schedule()'s first half: a sleeper whose wake-up signal arrived before it slept stays runnable.
        sleeping = !kernel.scheduleOut();
      } finally {
        bigKernelLock.unlock();
      }
      if (sleeping) {
        LockSupport.park(kernel);
        if (Thread.interrupted()) {
          return;
        }
      }
    }
  }
}
