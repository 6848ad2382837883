package org.quasi.cases.signals.app;

import java.util.ArrayDeque;
import org.quasi.cases.signals.Kernel;

/**
 * A LinuxThreads-style condition variable of the model: waiters queue in user memory and suspend on the restart
 * signal; {@code signal} restarts the first one with {@code kill}.
 */
final class ModelCondition {

  /** Threads waiting on the condition, in arrival order. */
  private final ArrayDeque<ModelThread> waiting = new ArrayDeque<>();

  /**
   * The first half of {@code pthread_cond_wait}: queue the caller and release the mutex. The caller then suspends
   * and, once restarted, locks the mutex again.
   *
   * @param self   the calling thread, holding {@code mutex}
   * @param mutex  the mutex to release
   * @param kernel the kernel
   */
  void waitBegin(final ModelThread self, final ModelMutex mutex, final Kernel kernel) {
    waiting.add(self);
    mutex.unlock(kernel);
  }

  /**
   * {@code pthread_cond_signal}: restarts the first waiter, if any.
   *
   * @param kernel the kernel
   */
  void signal(final Kernel kernel) {
    ModelThread first = waiting.poll();
    if (first != null) {
      ModelMutex.restart(kernel, first);
    }
  }
}
