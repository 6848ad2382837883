package org.quasi.cli;

/**
 * Bad input from the user: an unknown name, a missing file, a malformed spec. The CLI prints the message alone (no
 * stack trace) and exits with {@link QuasiCommand#EXIT_USAGE}.
 */
public final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception; the message is a sentence that names the offending value. */
  public UsageException(final String message) {
    super(message);
  }
}
