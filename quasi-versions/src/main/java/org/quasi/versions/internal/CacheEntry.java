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

  /** What the key probe of an unstable cache returns for this key (see {@link InlineCache#entry}). */
  final Object invoker;

  /**
   * The key values as the key probe compares them: the object keys in key order, then the primitive keys as
   * {@code long}s ({@link KeyProbe#asLong}); set by the inline cache before it publishes the entry to the probe.
   */
  Object[] refs;
  long[] prims;

  /**
   * The first {@link #FIELD_KEYS} object and primitive keys again, in fields: the probe reads these with one load
   * each, where an array element costs a load of the array, a bounds check and the load, and its compiled code is
   * what a caller's JIT must find small enough to inline (with the version inlined into it).
   */
  static final int FIELD_KEYS = 4;
  Object r0;
  Object r1;
  Object r2;
  Object r3;
  long p0;
  long p1;
  long p2;
  long p3;

  /** Whether the key's calls run a version (rather than the generic method: declined or backed off). */
  public final boolean specialized;

  /**
   * Calls served by this entry: a plain increment on the fast path (no atomic, no fence), so concurrent hits may be
   * lost; read by the counters.
   */
  long hits;

  /**
   * @param keyValues   the key's values, in key order
   * @param invoker     what the key probe calls, an instance of the entry's interface
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

  /** The calls served so far (approximate under contention). */
  public long hits() {
    return hits;
  }

  /** Counts one call; the inline cache calls it on every hit. */
  void hit() {
    hits++;
  }
}
