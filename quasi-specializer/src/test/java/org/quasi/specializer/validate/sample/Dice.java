package org.quasi.specializer.validate.sample;

/**
 * Rolls a shared generator, as colt's {@code Uniform.staticNextBoolean()} does through its static {@code shared}
 * distribution and a {@code RandomEngine}: the state advanced is an object's, reached through a static field, which
 * no putstatic or JDK call of randomness shows.
 */
public final class Dice {
  private static final RandomSource SHARED = new RandomSource();

  private Dice() {}

  public static boolean roll() {
    return SHARED.next();
  }

  /** A generator of the library's own. */
  public static final class RandomSource {
    private long state = 42;

    public boolean next() {
      state = state * 6364136223846793005L + 1442695040888963407L;
      return state < 0;
    }
  }
}
