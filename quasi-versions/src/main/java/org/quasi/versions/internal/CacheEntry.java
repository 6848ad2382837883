package org.quasi.versions.internal;

/**
 * One inline-cache entry of a generated dispatcher: a key object (compared by identity) and the replugger invoker of
 * that key's versions. Immutable apart from {@link #hits}, so a dispatcher reading an entry sees a consistent pair.
 */
public final class CacheEntry {

  /** The key argument this entry serves, compared with {@code ==}. */
  public final Object key;

  /** The key's replugger invoker: an instance of the entry point's interface; always correct to call. */
  public final Object target;

  /**
   * Calls served by this entry: a plain increment on the fast path, so concurrent hits may be lost (the counters say
   * so); written only by dispatcher code.
   */
  public long hits;

  public CacheEntry(final Object key, final Object target) {
    this.key = key;
    this.target = target;
  }
}
