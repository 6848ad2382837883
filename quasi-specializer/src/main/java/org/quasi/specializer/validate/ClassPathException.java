package org.quasi.specializer.validate;

/**
 * The class path given to a {@link Validator} cannot be read: an entry does not exist, is not a directory, jar or
 * module of the running JDK, or cannot be listed. It is the only exception {@link Validator#run} throws for its
 * input; what goes wrong while classes are validated is reported in the {@link ValidationReport} instead, so a tool
 * can tell the user's mistake from a fault of the harness.
 *
 * @since 0.1
 */
public final class ClassPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClassPathException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
