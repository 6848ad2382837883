package org.quasi.typeguard;

import java.util.Objects;

/**
 * Something the analysis could not read or resolve. The analysis goes on with the rest; a report with problems is
 * incomplete, so the command line exits with status 2.
 *
 * @param kind what went wrong
 * @param subject the path, class or field concerned
 * @param message a sentence saying what was skipped and why (with the nearest names for an unknown field)
 * @since 0.1
 */
public record Problem(Kind kind, String subject, String message) implements Comparable<Problem> {

  /** What went wrong. */
  public enum Kind {
    /** A class path entry does not exist. */
    MISSING_ENTRY,
    /** A class path entry is not a directory, a jar or a readable file. */
    UNREADABLE_ENTRY,
    /** A jar (zip) is corrupt. */
    CORRUPT_JAR,
    /** A class file could not be parsed; the class was skipped. */
    UNPARSABLE_CLASS,
    /** A quasi-invariant names a class that is not on the class path. */
    UNKNOWN_CLASS,
    /** A quasi-invariant names a field its class does not have. */
    UNKNOWN_FIELD,
    /** The analysis of a class failed (a bug in TypeGuard); the class was skipped. */
    ANALYSIS_FAILED
  }

  /** Checks that nothing is null. */
  public Problem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(final Problem other) {
    final int c = kind.compareTo(other.kind);
    return c != 0 ? c : subject.compareTo(other.subject);
  }
}
