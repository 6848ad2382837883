package org.quasi.specializer.validate.internal;

/**
 * Closes the validator's resources (class loader, worker) without letting the closing replace or hide what ended the
 * run. {@code try}-with-resources is not used for them: when the heap is exhausted the JVM may throw one shared
 * {@link OutOfMemoryError} instance both in the body and in {@code close}, and the statement's
 * {@code primary.addSuppressed(closeFailure)} then throws {@code IllegalArgumentException("Self-suppression not
 * permitted")}, which escapes in place of the real failure.
 */
public final class SafeClose {
  private SafeClose() {
  }

  /**
   * Closes each of {@code resources} (nulls skipped), all of them even when one fails, and returns what to throw:
   * {@code primary} (possibly null) with the closing failures attached as suppressed where that is permitted, or the
   * first closing failure when there is no primary.
   */
  public static Throwable closeAll(final Throwable primary, final AutoCloseable... resources) {
    Throwable out = primary;
    for (final AutoCloseable r : resources) {
      if (r == null) {
        continue;
      }
      try {
        r.close();
      } catch (Exception | Error e) {
        // DontCheck(IllegalCatch): every resource is closed whatever the others throw.
        out = out == null ? e : suppress(out, e);
      }
    }
    return out;
  }

  /** Attaches {@code t} to {@code to} as suppressed unless it is {@code to} itself; returns {@code to}. */
  public static Throwable suppress(final Throwable to, final Throwable t) {
    if (to != t) {
      to.addSuppressed(t);
    }
    return to;
  }
}
