package org.quasi.versions;

/**
 * When an entry point specializes, how many versions it keeps, and when it gives up on a key.
 *
 * @param specializeAfter calls with the same key before that key is specialized (at least 1)
 * @param maxVersions     keys with a version of their own at once; the least recently used is evicted beyond
 * @param backoffAfter    invalidations of one key after which that key stays generic (the JIT's recompilation cutoff)
 * @param counting        whether each key's versions are plugged into a {@link org.quasi.runtime.CountingReplugger}
 *                        (a guarded write returns only when no call is still inside the invalidated version; a
 *                        guarded write made from inside a call through the same key then fails with
 *                        {@link IllegalStateException}, since it would wait for itself) or a
 *                        {@link org.quasi.runtime.SimpleReplugger} (calls already inside may finish on the old
 *                        value after the write returns)
 * @param background      whether a key that crosses {@code specializeAfter} is specialized off the calling thread,
 *                        as a JIT compiles: the job is queued to a small daemon executor (see
 *                        {@link EntryPointBuilder#specializeIn}) and the key's calls keep running the generic method
 *                        through its replugger until the version is plugged; otherwise the calling thread that crossed
 *                        the threshold specializes before it returns
 * @implNote With {@code background}, the specializer is a second thread even in a one-thread program, so the
 *     fast-path race {@link org.quasi.runtime.Guards} documents (a write that tested an object's QUID before the
 *     specializer installed it stores on the plain path, possibly after the plug) also concerns the program's own
 *     thread for objects the version reaches beyond its keys (the keys' QUIDs are installed by the calling thread
 *     before the job is queued, so its later writes to them are guarded). The agent's strict mode closes that race,
 *     as it does for several threads.
 * @since 0.1
 */
public record EntryPolicy(int specializeAfter, int maxVersions, int backoffAfter, boolean counting,
    boolean background) {

  /**
   * Specialize after 2 calls in the calling thread, keep 8 versions, back off after 4 invalidations of one key,
   * counting repluggers.
   */
  public static final EntryPolicy DEFAULT = new EntryPolicy(2, 8, 4, true, false);

  public EntryPolicy {
    if (specializeAfter < 1 || maxVersions < 1 || backoffAfter < 1) {
      throw new IllegalArgumentException("every policy bound must be at least 1: specializeAfter="
          + specializeAfter + ", maxVersions=" + maxVersions + ", backoffAfter=" + backoffAfter);
    }
  }

  /** The same policy, specializing in the calling thread (as {@link #DEFAULT}). */
  public EntryPolicy(final int specializeAfter, final int maxVersions, final int backoffAfter,
      final boolean counting) {
    this(specializeAfter, maxVersions, backoffAfter, counting, false);
  }

  public EntryPolicy withSpecializeAfter(final int calls) {
    return new EntryPolicy(calls, maxVersions, backoffAfter, counting, background);
  }

  public EntryPolicy withMaxVersions(final int versions) {
    return new EntryPolicy(specializeAfter, versions, backoffAfter, counting, background);
  }

  public EntryPolicy withCounting(final boolean waitForCalls) {
    return new EntryPolicy(specializeAfter, maxVersions, backoffAfter, waitForCalls, background);
  }

  public EntryPolicy withBackoffAfter(final int invalidations) {
    return new EntryPolicy(specializeAfter, maxVersions, invalidations, counting, background);
  }

  /** The same policy, specializing off the calling thread ({@code true}) or in it. */
  public EntryPolicy withBackground(final boolean offTheCallingThread) {
    return new EntryPolicy(specializeAfter, maxVersions, backoffAfter, counting, offTheCallingThread);
  }
}
