package org.quasi.agent.shadow;

/**
 * The program cannot be run under shadow mode as the caller gave it: the command does not start with a java launcher
 * or names one that is not there, the agent jar is not an agent, or the report's directory does not exist. It is the
 * only exception {@link ShadowLauncher#run} throws for its input, so a tool can tell the user's mistake from a fault
 * of the shadow or of the program's JVM. The message names the offending value.
 *
 * @since 0.1
 */
public final class LaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LaunchException(final String message) {
    super(message);
  }
}
