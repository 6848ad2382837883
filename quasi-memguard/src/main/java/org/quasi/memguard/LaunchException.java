package org.quasi.memguard;

/**
 * The program cannot be run under MemGuard as the caller gave it: its java launcher is not there, the spec file is
 * missing or malformed, the log's directory does not exist, or a path holds a comma the agent's options cannot
 * carry. It is the only exception {@link MemGuardLauncher#run} throws for its input, so a tool can tell the user's
 * mistake from a fault of MemGuard or of the program's JVM. The message names the offending value.
 *
 * @since 0.1
 */
public final class LaunchException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LaunchException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
