package org.quasi.typeguard;

/**
 * How sure a finding is.
 *
 * @since 0.1
 */
public enum Certainty {
  /** The site writes (or opens a way to write) the quasi-invariant whenever it runs. */
  DEFINITE,
  /**
   * The site may write the quasi-invariant: a class or name could not be traced to a constant, or the site's target
   * is decided outside the bytecode (native code). A developer has to judge it.
   */
  POSSIBLE;

  /** {@return the lower-case name used in reports} */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
