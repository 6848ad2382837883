package org.quasi.runtime.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Suggests the nearest existing names for a misspelt one, by Levenshtein edit distance: every Quasi tool answers a
 * missing class, field or method with the names the user probably meant.
 */
public final class NearestNames {

  private NearestNames() {
  }

  /**
   * Returns up to {@code limit} candidates nearest to the query, nearest first, ties by name.
   *
   * @param query the name that was not found
   * @param candidates the names that exist
   * @param limit how many to return
   * @return the suggestions
   */
  public static List<String> names(final String query, final Collection<String> candidates, final int limit) {
    record Scored(String name, int distance) {
    }
    final List<Scored> scored = new ArrayList<>();
    for (final String c : candidates) {
      scored.add(new Scored(c, distance(query, c)));
    }
    scored.sort(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name));
    return scored.stream().limit(limit).map(Scored::name).toList();
  }

  /**
   * Computes the Levenshtein distance (insertions, deletions and substitutions each cost 1).
   *
   * @param a a string
   * @param b another string
   * @return the distance
   */
  public static int distance(final String a, final String b) {
    // Two rows of the dynamic-programming table are enough.
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
      }
      final int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
