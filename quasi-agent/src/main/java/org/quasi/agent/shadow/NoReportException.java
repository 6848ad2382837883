package org.quasi.agent.shadow;

import java.io.IOException;

/**
 * A shadowed program ended and shadow mode wrote no report, not even the one the agent writes as it starts: the
 * agent did not start (a JVM that refused the option, or died before the agent's {@code premain} ran).
 *
 * @since 0.1
 */
public final class NoReportException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The program's exit status. */
  private final int status;

  NoReportException(final int status, final String message) {
    super(message);
    this.status = status;
  }

  /** The program's exit status. */
  public int status() {
    return status;
  }
}
