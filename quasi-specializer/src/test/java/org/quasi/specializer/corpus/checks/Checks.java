package org.quasi.specializer.corpus.checks;

/**
 * Argument checks in another package than the corpus: their failure path calls a package-private helper, which a
 * hidden class of the corpus package cannot reach (as Guava's {@code Preconditions} calls its {@code Platform}).
 */
public final class Checks {
  private Checks() {
  }

  /** Throws {@link IllegalArgumentException} with {@code message}'s text unless {@code ok}. */
  public static void checkArgument(final boolean ok, final Object message) {
    if (!ok) {
      throw new IllegalArgumentException(describe(message));
    }
  }

  static String describe(final Object message) {
    return String.valueOf(message);
  }
}
