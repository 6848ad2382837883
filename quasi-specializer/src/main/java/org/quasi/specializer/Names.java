package org.quasi.specializer;

/** Edit distance, to suggest the nearest existing name when a name given by the user does not exist. */
final class Names {
  private Names() {
  }

  static int distance(final String a, final String b) {
    final int[] prev = new int[b.length() + 1];
    final int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        final int subst = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(subst, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      System.arraycopy(cur, 0, prev, 0, cur.length);
    }
    return prev[b.length()];
  }
}
