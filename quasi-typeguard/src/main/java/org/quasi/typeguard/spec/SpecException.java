package org.quasi.typeguard.spec;

/**
 * A spec file that does not follow the format of {@code docs/SPEC.md}. The message has the form
 * {@code FILE:LINE: what was expected}, ready to print as it is.
 *
 * @since 0.1
 */
public final class SpecException extends Exception {

  private static final long serialVersionUID = 1L;

  /** The file name as given to the parser. */
  private final String file;

  /** The 1-based line number of the offending line. */
  private final int line;

  /**
   * Creates the exception.
   *
   * @param file the file name as given to the parser
   * @param line the 1-based line number
   * @param expected what the parser expected, as a short sentence fragment
   */
  public SpecException(final String file, final int line, final String expected) {
    super(file + ":" + line + ": " + expected);
    this.file = file;
    this.line = line;
  }

  /** {@return the file name as given to the parser} */
  public String file() {
    return file;
  }

  /** {@return the 1-based line number of the offending line} */
  public int line() {
    return line;
  }
}
