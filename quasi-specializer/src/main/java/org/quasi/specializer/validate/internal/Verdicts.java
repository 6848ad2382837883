package org.quasi.specializer.validate.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The memoized verdicts of a screen that follows calls recursively: per method, why it is a problem, or that it is
 * clean. Shared by the validator's {@link EffectScreen} and shadow mode's heap-write screen, which walk call graphs
 * the same way and differ only in what they look for and where they stop.
 *
 * <p>A method already being screened (a recursive cycle) counts as clean while its screen is in progress, so a clean
 * verdict reached through such a cycle is provisional: it is not memoized, and a later question screens again. A
 * problem is always final. Not thread-safe: the screen that owns it serializes access.
 */
public final class Verdicts {
  /** The verdict of a method whose screen is under way (compared by identity). */
  @SuppressWarnings("StringOperationCanBeSimplified")
  private static final String IN_PROGRESS = new String("in progress");

  private final Map<String, String> verdicts = new HashMap<>();
  private int cycles;

  /**
   * Returns the verdict for method {@code key} (a problem, or null when clean): the memoized one when there is one;
   * else {@code limit}'s problem when it has one (a screen's depth or budget: not memoized, since it says where the
   * question was asked, not what the method does); else {@code screen}'s, memoized as described above.
   */
  public String verdict(final String key, final Supplier<String> limit, final Supplier<String> screen) {
    final String known = verdicts.get(key);
    if (known != null) {
      if (known == IN_PROGRESS) {
        cycles++;
        return null;
      }
      return known.isEmpty() ? null : known;
    }
    final String limited = limit.get();
    if (limited != null) {
      return limited;
    }
    final int cyclesBefore = cycles;
    verdicts.put(key, IN_PROGRESS);
    final String why = screen.get();
    if (why == null && cycles != cyclesBefore) {
      verdicts.remove(key);
    } else {
      verdicts.put(key, why == null ? "" : why);
    }
    return why;
  }
}
