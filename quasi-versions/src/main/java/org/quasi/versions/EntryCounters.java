package org.quasi.versions;

/**
 * What an entry point chose, counted since it was declared (a snapshot; each count is exact, the set is not taken
 * atomically).
 *
 * @param calls            calls through the entry point
 * @param specializedCalls calls that ran a specialized version
 * @param genericCalls     calls that ran the generic method (counting, declined, backed off, or cache full)
 * @param specializations  versions made and plugged
 * @param declined         specializations the specializer or the guards declined (the key then stays generic)
 * @param invalidations    versions invalidated by a guarded write
 * @param evictions        versions dropped to make room for another key (LRU)
 * @param backoffs         keys that reached the backoff bound and stay generic
 * @param queued           specializations handed to the background executor
 *                         ({@link EntryPolicy#background}; 0 otherwise)
 * @param raced            specializations discarded at the plug because a guarded write landed while they were
 *                         made (also counted in {@code invalidations}; the key counts its calls again)
 * @param dropped          queued specializations not made because their key was evicted before the job ran
 * @param rejected         specializations the background executor refused (queue full): the key stays generic and
 *                         counts its calls again
 * @param retired          versions with a residual class of their own let go when the inline cache turned
 *                         unstable, so that every version its probe calls shares its class (their keys count their
 *                         calls again and are specialized anew)
 * @since 0.1
 */
public record EntryCounters(long calls, long specializedCalls, long genericCalls, long specializations,
    long declined, long invalidations, long evictions, long backoffs, long queued, long raced, long dropped,
    long rejected, long retired) {
}
