package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An entry point's inline cache and its function. The function ({@link #function()}, an {@link EntryFunction}) first
 * asks the unstable cache's rows, which a stable cache does not have; then it calls a {@link MutableCallSite} whose
 * target extracts the key values from the arguments (field keys read once) and runs a chain of
 * {@code guardWithTest}s, one per cached key, over constant key values: primitives compared by value with no boxing,
 * objects by identity. A hit calls that key's invoker, bound as a constant; a miss calls the entry's full dispatch.
 *
 * <pre>
 * function(args) = rows == null ? site(args) : ...   // see below
 * site.target    = (args) -> k(args) == K1 ? [hit1] invoker1(args) : k(args) == K2 ? ... : miss(k.., args)
 * </pre>
 *
 * <p>Because the site's target is a constant to C2 (compiled callers are deoptimized when it changes), a hit costs
 * the key reads and compares and a call that inlines through the key's replugger into its version. The target is
 * rebuilt, by the entry point under its monitor, whenever the set of cached keys changes. A stale target is always
 * correct to call (a cached invoker runs the generic method once its version is invalidated), so rebuilding needs no
 * {@link MutableCallSite#syncAll}: other threads see the new chain eventually, and call a correct one meanwhile.
 *
 * <p><b>An unstable cache stops being a constant.</b> Every {@link MutableCallSite#setTarget} deoptimizes the compiled
 * callers that inlined the chain, which then run in the interpreter and profiled tiers until the JIT recompiles them.
 * A cache whose keys keep changing (fresh key objects arriving, versions invalidated and replaced) would keep its
 * callers out of their optimized code. After {@link #CONSTANT_REBUILDS} rebuilds the cache publishes rows, which the
 * function scans, reading the keys itself, and calls the invoker it finds with an {@code invokeinterface} of its own
 * (whose type profile lets the JIT inline the versions when they share a class); the site's target becomes, for good,
 * the full dispatch. Later rebuilds only replace the rows (an {@link AtomicReference} the function reads once per
 * call), so callers are never deoptimized again by the cache, and no code is generated or compiled for a rebuild; a
 * hit then costs the key reads, the scan's compares and an interface call, inlined when the keys' versions share
 * their class. As a polymorphic call site turns megamorphic, the switch is one-way.
 *
 * <pre>
 * function(args) = for (row : rows) if (keys(args) == row.keys) return row.invoker.m(args); site(args)  // unstable
 * site.target    = miss(k(args).., args)
 * </pre>
 */
public final class InlineCache {

  /** The longest chain: past a few compares, a key is better served by the full dispatch's hash lookup. */
  public static final int MAX_ENTRIES = 8;

  /**
   * Rebuilds that keep the chain a constant of compiled callers: enough for a few keys to arrive, be specialized
   * and be invalidated a few times; a cache rebuilt more often than that is unstable (see the class comment).
   */
  public static final int CONSTANT_REBUILDS = 16;

  private static final MethodHandle EQ_INT;
  private static final MethodHandle EQ_LONG;
  private static final MethodHandle EQ_BOOLEAN;
  private static final MethodHandle EQ_FLOAT;
  private static final MethodHandle EQ_DOUBLE;
  private static final MethodHandle EQ_REF;
  private static final MethodHandle HIT;
  private static final MethodHandle IS_NULL;

  static {
    final MethodHandles.Lookup l = MethodHandles.lookup();
    try {
      EQ_INT = l.findStatic(InlineCache.class, "eq", MethodType.methodType(boolean.class, int.class, int.class));
      EQ_LONG = l.findStatic(InlineCache.class, "eq", MethodType.methodType(boolean.class, long.class, long.class));
      EQ_BOOLEAN = l.findStatic(InlineCache.class, "eq",
          MethodType.methodType(boolean.class, boolean.class, boolean.class));
      EQ_FLOAT = l.findStatic(InlineCache.class, "eqBits",
          MethodType.methodType(boolean.class, float.class, int.class));
      EQ_DOUBLE = l.findStatic(InlineCache.class, "eqBits",
          MethodType.methodType(boolean.class, double.class, long.class));
      EQ_REF = l.findStatic(InlineCache.class, "same",
          MethodType.methodType(boolean.class, Object.class, Object.class));
      HIT = l.findVirtual(CacheEntry.class, "hit", MethodType.methodType(void.class));
      IS_NULL = l.findStatic(InlineCache.class, "isNull", MethodType.methodType(boolean.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final MethodType entryType;
  /** The entry interface's method, receiver first. */
  private final MethodHandle sam;
  private final Class<?>[] keyTypes;
  private final MethodType siteType;
  private final MutableCallSite site;
  private final MethodHandle miss;
  /** Rebuilds so far; guarded by the entry point's monitor. */
  private int rebuilds;
  /** The rows the function scans ({@link EntryFunction#row}); {@code null} while the cache is stable. */
  private final AtomicReference<Object[]> rows = new AtomicReference<>();
  /** The entry's function. */
  private final EntryFunction function;
  /** Whether the cache is unstable: the function scans rows, and the site's target is the full dispatch. */
  private volatile boolean indirect;
  private final List<KeySource> keys;
  private final MethodHandle[] extractors;
  private final MethodHandle nullObject;

  /**
   * @param entryType  the entry interface's method type (the arguments the dispatcher receives)
   * @param lookup     the entry point's lookup (full privilege access)
   * @param type       the entry's functional interface
   * @param samMethod  its method
   * @param sam        the entry interface's method as a virtual handle (receiver first)
   * @param keys       where each key value comes from
   * @param extractors per key, a handle from its argument (as {@code entryType} types it) to the key value
   * @param miss       the full dispatch: takes {@code Object[]} of the key values then the arguments, returns the
   *                   result boxed ({@code null} for void)
   * @param nullObject called with the arguments when the object a field key is read from is {@code null} (there is
   *                   no key: the generic method runs)
   * @param description what the function's {@code toString} returns
   */
  public InlineCache(final MethodHandles.Lookup lookup, final Class<?> type, final java.lang.reflect.Method samMethod,
      final MethodType entryType, final MethodHandle sam, final List<KeySource> keys,
      final MethodHandle[] extractors, final MethodHandle miss, final MethodHandle nullObject,
      final String description) {
    this.entryType = entryType;
    this.sam = sam;
    final int n = keys.size();
    this.keyTypes = new Class<?>[n];
    for (int i = 0; i < n; i++) {
      keyTypes[i] = extractors[i].type().returnType();
    }
    this.siteType = entryType.insertParameterTypes(0, keyTypes);
    this.miss = miss.asCollector(Object[].class, siteType.parameterCount()).asType(siteType);
    this.keys = List.copyOf(keys);
    this.extractors = extractors.clone();
    this.nullObject = nullObject;
    this.site = new MutableCallSite(readingKeys(this.miss));
    this.function = EntryFunction.define(lookup, type, samMethod, this.keys, this.extractors, rows,
        site.dynamicInvoker(), description);
  }

  /**
   * {@code target} (keys, then arguments) as a handle on the entry's arguments: {@code target(k1(a), .., kn(a), a..)},
   * the keys read from the arguments (field keys once); a field key read from a {@code null} object has no value, and
   * the generic method decides what null means.
   */
  private MethodHandle readingKeys(final MethodHandle target) {
    final int n = keys.size();
    final int[] reorder = new int[siteType.parameterCount()];
    for (int i = 0; i < n; i++) {
      reorder[i] = keys.get(i).argument();
    }
    for (int p = 0; p < entryType.parameterCount(); p++) {
      reorder[n + p] = p;
    }
    MethodHandle h = MethodHandles.filterArguments(target, 0, extractors);
    h = MethodHandles.permuteArguments(h, entryType, reorder);
    for (final KeySource k : keys) {
      if (k.isField()) {
        final MethodHandle test = MethodHandles.permuteArguments(
            IS_NULL.asType(MethodType.methodType(boolean.class, entryType.parameterType(k.argument()))),
            entryType.changeReturnType(boolean.class), k.argument());
        h = MethodHandles.guardWithTest(test, nullObject.asType(entryType), h);
      }
    }
    return h;
  }

  /** The entry's function: an instance of the entry's interface. */
  public Object function() {
    return function.function;
  }

  /**
   * The function's method bound to it, of the entry's method type: what a woven {@code invokedynamic} links to.
   */
  public MethodHandle handle() {
    return function.handle;
  }

  /**
   * A cache entry for a key whose calls go to {@code invoker}, an instance of the entry's interface.
   *
   * @param keyValues   the key's values, in key order (primitives boxed)
   * @param invoker     gives what the constant chain calls, the key's replugger invoker; asked only if a constant
   *                    chain is built with the entry (a replugger defines its invoker's class when first asked, and
   *                    an unstable cache never needs it)
   * @param direct      what the function calls once the cache is unstable: the same invoker, or the target plugged
   *                    in it now when the entry point re-caches the key at every replug
   * @param specialized whether the key's calls run a version
   */
  public CacheEntry entry(final Object[] keyValues, final java.util.function.Supplier<?> invoker,
      final Object direct, final boolean specialized) {
    return new CacheEntry(keyValues, direct, () -> sam.bindTo(invoker.get()).asType(entryType), specialized);
  }

  /**
   * Replaces the chain with one testing {@code entries} in order (at most {@link #MAX_ENTRIES}; the rest miss).
   * Called under the entry point's monitor.
   */
  public void rebuild(final List<CacheEntry> entries) {
    final int n = Math.min(entries.size(), MAX_ENTRIES);
    if (indirect) {
      rows.set(rowsOf(entries, n));
      return;
    }
    if (++rebuilds > CONSTANT_REBUILDS) {
      // Unstable: the function scans rows from now on, and what it does not find takes the full dispatch.
      rows.set(rowsOf(entries, n));
      site.setTarget(outOfLine(readingKeys(miss)));
      indirect = true;
      return;
    }
    MethodHandle next = miss;
    for (int e = n - 1; e >= 0; e--) {
      final CacheEntry entry = entries.get(e);
      MethodHandle hit = MethodHandles.dropArguments(entry.target(), 0, keyTypes);
      hit = MethodHandles.foldArguments(hit, HIT.bindTo(entry));
      for (int k = keyTypes.length - 1; k >= 0; k--) {
        MethodHandle test = equalTo(keyTypes[k], entry.keyValues[k]);
        test = MethodHandles.dropArguments(test, 0, java.util.Arrays.copyOf(keyTypes, k));
        hit = MethodHandles.guardWithTest(test, hit, next);
      }
      next = hit;
    }
    site.setTarget(readingKeys(next));
  }

  /**
   * {@code target} behind a handle the JIT does not inline: it loads {@code target} from an array element (which the
   * JIT does not take for a constant, as it takes a bound argument) and invokes it. Compiled callers of the site then
   * hold one call for the full dispatch, not its key extraction, null tests and argument boxing, which, inlined by
   * force with the lambda forms, made the function too big to inline in its own callers.
   */
  private static MethodHandle outOfLine(final MethodHandle target) {
    final MethodHandle load = MethodHandles.insertArguments(
        MethodHandles.arrayElementGetter(MethodHandle[].class), 0, new MethodHandle[] {target}, 0);
    return MethodHandles.foldArguments(MethodHandles.exactInvoker(target.type()), load);
  }

  /** The first {@code n} entries as the function's rows, each made once per entry. */
  private Object[] rowsOf(final List<CacheEntry> entries, final int n) {
    final Object[] r = new Object[n];
    for (int e = 0; e < n; e++) {
      final CacheEntry entry = entries.get(e);
      if (entry.row == null) {
        entry.function = function;
        entry.row = function.row(entry.invoker, entry.keyValues);
      }
      r[e] = entry.row;
    }
    return r;
  }

  /** Whether the function scans rows (the cache was rebuilt more than {@link #CONSTANT_REBUILDS} times). */
  public boolean isIndirect() {
    return indirect;
  }

  /** A test {@code (type)boolean}: is the argument {@code value} (by value for primitives, identity otherwise)? */
  private static MethodHandle equalTo(final Class<?> type, final Object value) {
    final MethodType t = MethodType.methodType(boolean.class, type);
    if (!type.isPrimitive()) {
      return MethodHandles.insertArguments(EQ_REF, 1, value).asType(t);
    }
    if (type == long.class) {
      return MethodHandles.insertArguments(EQ_LONG, 1, (long) (Long) value);
    }
    if (type == boolean.class) {
      return MethodHandles.insertArguments(EQ_BOOLEAN, 1, (boolean) (Boolean) value);
    }
    if (type == float.class) {
      return MethodHandles.insertArguments(EQ_FLOAT, 1, Float.floatToIntBits((Float) value));
    }
    if (type == double.class) {
      return MethodHandles.insertArguments(EQ_DOUBLE, 1, Double.doubleToLongBits((Double) value));
    }
    final int v = value instanceof Character c ? c : ((Number) value).intValue();
    return MethodHandles.insertArguments(EQ_INT, 1, v).asType(t);
  }

  private static boolean eq(final int a, final int b) {
    return a == b;
  }

  private static boolean eq(final long a, final long b) {
    return a == b;
  }

  private static boolean eq(final boolean a, final boolean b) {
    return a == b;
  }

  /** Floats compare as {@link Float#equals} does (NaN equals NaN, 0.0 differs from -0.0), like the key table. */
  private static boolean eqBits(final float a, final int bits) {
    return Float.floatToIntBits(a) == bits;
  }

  private static boolean eqBits(final double a, final long bits) {
    return Double.doubleToLongBits(a) == bits;
  }

  private static boolean same(final Object a, final Object b) {
    return a == b;
  }

  private static boolean isNull(final Object o) {
    return o == null;
  }
}
