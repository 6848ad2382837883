package org.quasi.agent;

/**
 * The class path given to the {@link AheadOfTimeWeaver} cannot be read: an entry does not exist or is neither a
 * directory nor a jar, or a {@code .class} file in it is not a class file the weaver can read. It is the only
 * exception {@link AheadOfTimeWeaver#weave} throws for its input, so a tool can tell the user's mistake from a fault
 * of the weaver. The message names the entry or the file.
 *
 * @since 0.1
 */
public final class ClassPathException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ClassPathException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
