package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.util.function.Supplier;

/**
 * One inline-cache entry: a key's values and the invoker its calls go to (the key's replugger, which runs its version
 * or, once invalidated, the generic method), with a count of the calls it served.
 */
public final class CacheEntry {

  /** The key values this entry serves: objects compared by identity, primitives (boxed here) by value. */
  final Object[] keyValues;

  /** Makes {@link #target}; called at most once, by the first constant chain built with this entry. */
  private final Supplier<MethodHandle> targetMaker;

  /**
   * The key's replugger invoker bound as a handle taking the entry's arguments: what the constant chain calls;
   * {@code null} until a constant chain needs it. Guarded by the entry point's monitor, which every rebuild holds.
   */
  private MethodHandle target;

  /** What the function of an unstable cache calls for this key (see {@link InlineCache#entry}). */
  final Object invoker;

  /**
   * This entry as a row of the entry function ({@link EntryFunction#row}), which counts its hits there; made by the
   * inline cache, under the entry point's monitor, before it publishes the entry to the probe.
   */
  Object row;
  /** The entry function whose row {@link #row} is. */
  EntryFunction function;

  /** Whether the key's calls run a version (rather than the generic method: declined or backed off). */
  public final boolean specialized;

  /**
   * Calls served by this entry: a plain increment on the fast path (no atomic, no fence), so concurrent hits may be
   * lost; read by the counters.
   */
  long hits;

  /**
   * @param keyValues   the key's values, in key order
   * @param invoker     what the entry function calls, an instance of the entry's interface
   * @param target      makes the replugger invoker's method bound to it, of the entry's method type; called only
   *                    when a constant chain is built with this entry
   * @param specialized whether the key's calls run a version
   */
  public CacheEntry(final Object[] keyValues, final Object invoker, final Supplier<MethodHandle> target,
      final boolean specialized) {
    this.keyValues = keyValues.clone();
    this.invoker = invoker;
    this.targetMaker = target;
    this.specialized = specialized;
  }

  /** What the constant chain calls for this key, made on the first call. Holds the entry point's monitor. */
  MethodHandle target() {
    MethodHandle t = target;
    if (t == null) {
      t = targetMaker.get();
      target = t;
    }
    return t;
  }

  /** The calls served so far, by the constant chain and by the probe (approximate under contention). */
  public long hits() {
    final Object r = row;
    return hits + (r == null ? 0 : function.hits(r));
  }

  /** Counts one call; the inline cache calls it on every hit. */
  void hit() {
    hits++;
  }
}
