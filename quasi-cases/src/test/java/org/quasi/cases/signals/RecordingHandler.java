package org.quasi.cases.signals;

import java.util.List;

/**
 * A test handler that appends {@code name:pid:sig} to a log each time it runs; optionally it sends one more signal to
 * its own process from inside the handler (unless it is handling that very signal), to exercise a kill made while a
 * handler runs.
 */
final class RecordingHandler implements SignalHandler {

  /** Identifies the handler in snapshots and logs. */
  private final String name;
  /** Where the deliveries go; one log per kernel. */
  private final List<String> log;
  /** A signal to send to itself from inside the handler, or 0 for none. */
  private final int raise;

  RecordingHandler(final String name, final List<String> log, final int raise) {
    this.name = name;
    this.log = log;
    this.raise = raise;
  }

  @Override
  public void handle(final Kernel kernel, final Task self, final int sig) {
    log.add(name + ":" + self.pid() + ":" + sig);
    if (raise != 0 && sig != raise) {
      log.add(name + ":raise=" + kernel.sysKill(self.pid(), raise));
    }
  }

  @Override
  public String name() {
    return name;
  }
}
