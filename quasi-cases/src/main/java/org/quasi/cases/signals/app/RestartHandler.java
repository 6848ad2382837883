package org.quasi.cases.signals.app;

import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.SignalHandler;
import org.quasi.cases.signals.Task;

/**
 * LinuxThreads' restart signal handler ({@code pthread_handle_sigrestart}): records the signal in the running
 * thread's descriptor, which {@code suspend} then reads.
 */
final class RestartHandler implements SignalHandler {

  @Override
  public void handle(final Kernel kernel, final Task self, final int sig) {
    ((ModelThread) self.program()).pSignal = sig;
  }

  @Override
  public String name() {
    return "pthread_handle_sigrestart";
  }
}
