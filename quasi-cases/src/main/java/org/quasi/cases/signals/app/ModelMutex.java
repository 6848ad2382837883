package org.quasi.cases.signals.app;

import java.util.ArrayDeque;
import org.quasi.cases.signals.Errno;
import org.quasi.cases.signals.Kernel;

/**
 * A LinuxThreads-style mutex of the model: a waiting queue in user memory, threads that find it taken suspend on the
 * restart signal, and unlock hands the mutex to the first waiter and restarts it with {@code kill}.
 */
final class ModelMutex {

  /** The thread holding the mutex, or {@code null}. */
  private ModelThread owner;
  /** Threads suspended until the mutex is handed to them, in arrival order. */
  private final ArrayDeque<ModelThread> waiting = new ArrayDeque<>();

  /**
   * Takes the mutex, or queues the caller, which must then suspend: the mutex is handed over before it is
   * restarted.
   *
   * @param self the calling thread
   * @return whether the caller holds the mutex now
   */
  boolean lock(final ModelThread self) {
    if (owner == null) {
      owner = self;
      return true;
    }
    waiting.add(self);
    return false;
  }

  /**
   * Hands the mutex to the first waiter and restarts it, or frees it.
   *
   * @param kernel the kernel to send the restart signal with
   */
  void unlock(final Kernel kernel) {
    ModelThread next = waiting.poll();
    owner = next;
    if (next != null) {
      restart(kernel, next);
    }
  }

  /**
   * LinuxThreads' {@code restart(th)}: sends the restart signal to a suspended (or about to suspend) thread.
   *
   * @param kernel the kernel
   * @param thread the thread to restart
   * @throws IllegalStateException if the kernel refuses, which would lose a wake-up
   */
  static void restart(final Kernel kernel, final ModelThread thread) {
    int result = kernel.sysKill(thread.task.pid(), ModelThread.RESTART);
    if (result != 0) {
      throw new IllegalStateException("restart of pid " + thread.task.pid() + " failed with "
          + Errno.name(result));
    }
  }
}
