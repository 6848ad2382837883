package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.MutableCallSite;
import java.util.List;

/**
 * An entry point's inline cache, built of method handles the JIT sees as constants: the dispatcher (a hidden class
 * whose method loads {@link #handle()} with {@code ldc} of a class-data constant) extracts the key values from the
 * arguments (field keys read once here), then calls through a {@link MutableCallSite} whose target is a chain of
 * {@code guardWithTest}s, one per cached key, over constant key values: primitives compared by value with no boxing,
 * objects by identity. A hit calls that key's invoker, bound as a constant; a miss calls the entry's full dispatch.
 *
 * <pre>
 * handle(args) = site(k1(args)..kn(args), args)
 * site.target  = k == K1 ? [hit1] invoker1(args) : k == K2 ? ... : miss(k.., args)
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
 * callers out of their optimized code. After {@link #CONSTANT_REBUILDS} rebuilds the site's target becomes, for good,
 * an indirect call of the chain read from a volatile field; later rebuilds only write that field, so callers are
 * never deoptimized again by the cache, at the cost of a call the JIT cannot inline into them (the chain itself is
 * still compiled as a unit once the JVM customizes it). As a polymorphic call site turns megamorphic, the switch is
 * one-way.
 *
 * <pre>
 * site.target = (args) -> chain.invokeExact(args)      // after CONSTANT_REBUILDS rebuilds
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
  private static final MethodHandle CHAIN;

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
      CHAIN = l.findVirtual(InlineCache.class, "chain", MethodType.methodType(MethodHandle.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final MethodType entryType;
  private final Class<?>[] keyTypes;
  private final MethodType siteType;
  private final MutableCallSite site;
  private final MethodHandle miss;
  private final MethodHandle handle;
  /** Rebuilds so far; guarded by the entry point's monitor. */
  private int rebuilds;
  /** The chain, once the site calls it indirectly ({@code null} before). */
  private volatile MethodHandle chain;

  /**
   * @param entryType  the entry interface's method type (the arguments the dispatcher receives)
   * @param keys       where each key value comes from
   * @param extractors per key, a handle from its argument (as {@code entryType} types it) to the key value
   * @param miss       the full dispatch: takes {@code Object[]} of the key values then the arguments, returns the
   *                   result boxed ({@code null} for void)
   * @param nullObject called with the arguments when the object a field key is read from is {@code null} (there is
   *                   no key: the generic method runs)
   */
  public InlineCache(final MethodType entryType, final List<KeySource> keys, final MethodHandle[] extractors,
      final MethodHandle miss, final MethodHandle nullObject) {
    this.entryType = entryType;
    final int n = keys.size();
    this.keyTypes = new Class<?>[n];
    for (int i = 0; i < n; i++) {
      keyTypes[i] = extractors[i].type().returnType();
    }
    this.siteType = entryType.insertParameterTypes(0, keyTypes);
    this.miss = miss.asCollector(Object[].class, siteType.parameterCount()).asType(siteType);
    this.site = new MutableCallSite(this.miss);
    // Read the keys: site(k1(a), .., kn(a), a..) as a handle on (a..).
    MethodHandle h = site.dynamicInvoker();
    final int[] reorder = new int[siteType.parameterCount()];
    for (int i = 0; i < n; i++) {
      reorder[i] = keys.get(i).argument();
    }
    for (int p = 0; p < entryType.parameterCount(); p++) {
      reorder[n + p] = p;
    }
    h = MethodHandles.filterArguments(h, 0, extractors);
    h = MethodHandles.permuteArguments(h, entryType, reorder);
    // A field key read from a null object has no value: the generic method decides what null means.
    for (final KeySource k : keys) {
      if (k.isField()) {
        final MethodHandle test = MethodHandles.permuteArguments(
            IS_NULL.asType(MethodType.methodType(boolean.class, entryType.parameterType(k.argument()))),
            entryType.changeReturnType(boolean.class), k.argument());
        h = MethodHandles.guardWithTest(test, nullObject.asType(entryType), h);
      }
    }
    this.handle = h;
  }

  /** The handle the dispatcher calls: the entry's method type, keys read and dispatched. */
  public MethodHandle handle() {
    return handle;
  }

  /**
   * A handle on {@code invoker} (an instance of the entry's interface, {@code sam} its method) for a cache entry.
   */
  public MethodHandle target(final MethodHandle sam, final Object invoker) {
    return sam.bindTo(invoker).asType(entryType);
  }

  /**
   * Replaces the chain with one testing {@code entries} in order (at most {@link #MAX_ENTRIES}; the rest miss).
   * Called under the entry point's monitor.
   */
  public void rebuild(final List<CacheEntry> entries) {
    MethodHandle next = miss;
    for (int e = Math.min(entries.size(), MAX_ENTRIES) - 1; e >= 0; e--) {
      final CacheEntry entry = entries.get(e);
      MethodHandle hit = MethodHandles.dropArguments(entry.target, 0, keyTypes);
      hit = MethodHandles.foldArguments(hit, HIT.bindTo(entry));
      for (int k = keyTypes.length - 1; k >= 0; k--) {
        MethodHandle test = equalTo(keyTypes[k], entry.keyValues[k]);
        test = MethodHandles.dropArguments(test, 0, java.util.Arrays.copyOf(keyTypes, k));
        hit = MethodHandles.guardWithTest(test, hit, next);
      }
      next = hit;
    }
    if (chain != null) {
      chain = next;
    } else if (++rebuilds <= CONSTANT_REBUILDS) {
      site.setTarget(next);
    } else {
      // Unstable: the chain is read at each call from now on (written before the site starts reading it).
      chain = next;
      site.setTarget(MethodHandles.foldArguments(MethodHandles.exactInvoker(siteType), CHAIN.bindTo(this)));
    }
  }

  /**
   * Whether the site calls the chain indirectly (the cache was rebuilt more than {@link #CONSTANT_REBUILDS} times).
   */
  public boolean isIndirect() {
    return chain != null;
  }

  /** The current chain, when the site calls it indirectly. */
  private MethodHandle chain() {
    return chain;
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
