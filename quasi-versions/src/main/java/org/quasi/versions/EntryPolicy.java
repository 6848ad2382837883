package org.quasi.versions;

/**
 * When an entry point specializes, how many versions it keeps, and when it gives up on a key.
 *
 * @param specializeAfter calls with the same key before that key is specialized (at least 1)
 * @param maxVersions     keys with a version of their own at once; the least recently used is evicted beyond
 * @param backoffAfter    invalidations of one key after which that key stays generic (the JIT's recompilation cutoff)
 * @since 0.1
 */
public record EntryPolicy(int specializeAfter, int maxVersions, int backoffAfter) {

  /** Specialize after 2 calls, keep 8 versions, back off after 4 invalidations of one key. */
  public static final EntryPolicy DEFAULT = new EntryPolicy(2, 8, 4);

  public EntryPolicy {
    if (specializeAfter < 1 || maxVersions < 1 || backoffAfter < 1) {
      throw new IllegalArgumentException("every policy bound must be at least 1: specializeAfter="
          + specializeAfter + ", maxVersions=" + maxVersions + ", backoffAfter=" + backoffAfter);
    }
  }

  public EntryPolicy withSpecializeAfter(final int calls) {
    return new EntryPolicy(calls, maxVersions, backoffAfter);
  }

  public EntryPolicy withMaxVersions(final int versions) {
    return new EntryPolicy(specializeAfter, versions, backoffAfter);
  }

  public EntryPolicy withBackoffAfter(final int invalidations) {
    return new EntryPolicy(specializeAfter, maxVersions, invalidations);
  }
}
