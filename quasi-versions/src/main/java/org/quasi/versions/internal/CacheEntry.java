package org.quasi.versions.internal;

/**
 * One inline-cache entry: a key's values and the invoker its calls go to (the key's replugger, which runs its version
 * or, once invalidated, the generic method), with a count of the calls it served.
 */
public final class CacheEntry {

  /** The key values this entry serves: objects compared by identity, primitives (boxed here) by value. */
  final Object[] keyValues;

  /** The invoker (an instance of the entry's interface) bound as a handle taking the entry's arguments. */
  final java.lang.invoke.MethodHandle target;

  /** Whether the key's calls run a version (rather than the generic method: declined or backed off). */
  public final boolean specialized;

  /**
   * Calls served by this entry: a plain increment on the fast path (no atomic, no fence), so concurrent hits may be
   * lost; read by the counters.
   */
  long hits;

  public CacheEntry(final Object[] keyValues, final java.lang.invoke.MethodHandle target, final boolean specialized) {
    this.keyValues = keyValues.clone();
    this.target = target;
    this.specialized = specialized;
  }

  /** The calls served so far (approximate under contention). */
  public long hits() {
    return hits;
  }

  /** Counts one call; the inline cache calls it on every hit. */
  void hit() {
    hits++;
  }
}
