package org.quasi.versions;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.quasi.runtime.QuidHolder;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.Version;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.versions.internal.BackoffEvent;
import org.quasi.runtime.internal.FunctionalShape;
import org.quasi.runtime.internal.InvokerClasses;
import org.quasi.versions.internal.CacheEntry;
import org.quasi.versions.internal.InlineCache;
import org.quasi.versions.internal.Key;
import org.quasi.versions.internal.KeySource;
import org.quasi.versions.internal.SpecializeEvent;

/**
 * A specialized entry point (the version manager, paper §3.5): an object implementing the functional interface
 * {@code F} that runs, for each value of the key arguments, a version of the method specialized on those values and
 * on the quasi-invariant fields it reads, and keeps it only while guarded writes leave those fields alone.
 *
 * <pre>{@code
 * EntryPoint<Filter> entry = EntryPoint.builder(MethodHandles.lookup(), Rules.class.getMethod("accept", Rule.class,
 *         int.class), Filter.class)
 *     .keys(0).quasiInvariant(Rule.class, "port").policy(EntryPolicy.DEFAULT).build();
 * Filter f = entry.function();     // f.accept(rule, 80): generic at first, then rule's own version
 * }</pre>
 * ({@code EntryPointTest#specializesAfterTheThresholdAndReplugsOnAGuardedWrite} runs this.)
 *
 * <p><b>Per key</b> (a small cache, least recently used first out): <em>counting</em> → after
 * {@link EntryPolicy#specializeAfter} calls, specialize → <em>specialized</em> (a {@link Version} plugged into the
 * key's own replugger, counting or simple as {@link EntryPolicy#counting} says), or <em>declined</em> (stays generic); a guarded write invalidates the version
 * (the key's replugger falls back to the generic method before the write lands) → <em>counting</em> again, or
 * <em>backed off</em> (generic for good) after {@link EntryPolicy#backoffAfter} invalidations. When
 * {@link EntryPolicy#maxVersions} keys are cached, a new key evicts the least recently used (its version discarded).
 * Every choice is counted in {@link #counters()}.
 *
 * <p><b>What is guarded.</b> A version is plugged only if every quasi-invariant field it relies on is guarded: an
 * instance field of an object whose class was woven ({@link QuidHolder}), or a static field whose class has its guard
 * flag. Otherwise, and for dependencies on array elements (whose writes are not woven), the specialization is
 * declined. The key objects get their QUID before the specializer reads them; every dependency is registered, then
 * re-read, before the plug (see {@link Version#plug} and {@link org.quasi.runtime.Guards} for the exact guarantee
 * and the fast-path race it does not exclude).
 *
 * <p><b>Observability.</b> JFR events {@code org.quasi.Specialize} (entry, key, outcome: plugged, declined with
 * the reason, or raced by a guarded write), {@code org.quasi.Backoff}, and the runtime's {@code org.quasi.Invalidate}
 * (the version's description names the entry's method and key), all under "Quasi" in JDK Mission Control.
 *
 * <p><b>Threads.</b> Any thread may call. Bookkeeping holds the entry's monitor briefly; specialization runs in the
 * calling thread that crossed the threshold, outside it (other calls with that key run the generic method meanwhile),
 * or, under a {@link EntryPolicy#background} policy, in a background executor (Quasi's one daemon thread
 * {@code quasi-specializer-N} unless {@link EntryPointBuilder#specializeIn} names another): the key is then
 * <em>queued</em> and put in the inline cache at once, so its calls, the crossing one included, run the generic method
 * through the key's replugger, without the monitor, until the job plugs the version into that replugger (same
 * version stamps: a guarded write during the job discards it, counted as raced). A queued key evicted before its
 * job runs is dropped by the job; an executor that refuses the job (queue full) leaves the key counting again.
 *
 * <p><b>Keys.</b> Arguments ({@link EntryPointBuilder#keys}: objects by identity, primitives by value) and fields of arguments
 * ({@link EntryPointBuilder#keyField}, such as {@code this.current}): a field key is read by the dispatcher once per call and
 * compared, and the version is specialized with that read known
 * ({@link SpecializationRequest#assumeField}), so the field needs no guard and may change on every call; the object
 * it is read from is a key too. Key values are listed arguments first, then fields, in the order declared.
 *
 * <p><b>Inline cache.</b> {@link #function()} is a generated class ({@link InlineCache}) that reads the key values,
 * compares them with constant values of up to {@link InlineCache#MAX_ENTRIES} cached keys (specialized, declined or
 * backed off; most recently cached first) and calls that key's replugger invoker, all as constants to the JIT; any
 * other call takes the full dispatch above. A cache whose keys keep changing stops being constants: the function then
 * scans the cached keys' rows itself ({@code EntryFunction}). A cached invoker is always correct to call (after an
 * invalidation it runs the fallback until the key leaves the cache, under the entry point's monitor, by the
 * invalidation itself).
 *
 * @implNote Calls served by the inline cache are counted with a plain increment per cache entry (no atomic, no
 *     fence, so C2 keeps the hit path short): under contention some are lost, so {@code calls},
 *     {@code specializedCalls} and {@code genericCalls} may undercount; the counts of choices (specializations,
 *     declines, evictions, invalidations, backoffs) are exact. A field key read from a {@code null} object runs
 *     the generic method directly (counted as a generic call). Keys beyond the inline cache's bound (but within
 *     {@link EntryPolicy#maxVersions}) take the full dispatch, which boxes the arguments. Entry points are declared
 *     through this API; the spec file's {@code entry} lines build them the same way.
 * @param <F> the functional interface: the method's JVM arguments (receiver first for an instance method)
 * @since 0.1
 */
public final class EntryPoint<F> {

  private enum State { COUNTING, QUEUED, SPECIALIZING, SPECIALIZED, DECLINED, BACKED_OFF }

  /** One key's cache entry. Mutable fields are guarded by the entry point's monitor. */
  private final class Slot {
    final Key key;
    final Replugger<F> replugger;
    State state = State.COUNTING;
    int calls;
    int invalidations;
    Version<F> version;
    String declinedBecause;
    CacheEntry cached;

    Slot(final Key key) {
      this.key = key;
      this.replugger = policy.counting()
          ? Replugger.counting(lookup, type, generic, Replugger.DEFAULT_QUIESCENCE_TIMEOUT)
          : Replugger.simple(lookup, type, generic);
    }
  }

  private final MethodHandles.Lookup lookup;
  private final Method method;
  private final Class<F> type;
  /** The JVM arguments that are keys or that field keys are read from: known to the specializer. */
  private final int[] keys;
  /** Every key value's source, in key order: argument keys, then field keys. */
  private final List<KeySource> keySources;
  /** Per key, whether its type is primitive: compared by value, the others by identity ({@link Key}). */
  private final boolean[] keyByValue;
  private final EntryPolicy policy;
  private final FunctionalShape shape;
  private final F generic;
  private final MethodHandle sam;
  /**
   * {@code (Object receiver, Object[] args) -> Object}: the interface method called on a receiver with the arguments
   * spread, made once so that the full dispatch's call adapts no new handle per key.
   */
  private final MethodHandle spreadCall;
  private final MethodHandle genericHandle;
  private final F function;
  private final java.util.function.BiConsumer<String, String> onDecline;
  /** Where a background policy's specializations run (unused otherwise). */
  private final java.util.concurrent.Executor specializer;

  /** Makes each key's version. */
  private final VersionMaker<F> versions;

  /** The inline cache behind {@link #function}. */
  private final InlineCache cache;

  /** The entries of the inline cache, most recently cached first; guarded by this. */
  private final List<CacheEntry> cached = new ArrayList<>();

  /** Hits of cache entries no longer in the cache, on versions and on the generic method; guarded by this. */
  private long retiredSpecializedHits;
  private long retiredGenericHits;
  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong specializedCalls = new AtomicLong();
  private final AtomicLong genericCalls = new AtomicLong();
  private final AtomicLong specializations = new AtomicLong();
  private final AtomicLong declined = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong backoffs = new AtomicLong();
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong raced = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong retired = new AtomicLong();

  EntryPoint(final EntryPointBuilder<F> b) {
    this.lookup = b.lookup;
    this.method = b.method;
    this.type = b.type;
    this.keySources = List.copyOf(b.keySources());
    this.keys = keySources.stream().mapToInt(KeySource::argument).distinct().toArray();
    this.policy = b.policy;
    this.onDecline = b.onDecline;
    this.specializer = b.executor != null ? b.executor
        : org.quasi.versions.internal.SpecializerThreads.shared();
    this.shape = FunctionalShape.of(type, "an entry point");
    try {
      this.genericHandle = lookup.unreflect(b.generic != null ? b.generic : method);
      final MethodType samType = shape.methodType();
      this.generic = type.cast(InvokerClasses.define(lookup, shape, genericHandle.asType(samType), null,
          "generic " + method));
      this.versions = new VersionMaker<>(lookup, method, type, keys, keySources,
          Map.copyOf(b.quasiInvariants), generic);
      this.sam = shape.virtualHandle(lookup);
      this.spreadCall = sam.asType(sam.type().generic())
          .asSpreader(Object[].class, samType.parameterCount());
      final MethodHandle[] extractors = new MethodHandle[keySources.size()];
      this.keyByValue = new boolean[extractors.length];
      for (int i = 0; i < extractors.length; i++) {
        extractors[i] = keySources.get(i).extractor(lookup, samType.parameterType(keySources.get(i).argument()));
        keyByValue[i] = extractors[i].type().returnType().isPrimitive();
      }
      final MethodHandle miss = MethodHandles.lookup().findVirtual(EntryPoint.class, "dispatch",
          MethodType.methodType(Object.class, Object[].class)).bindTo(this);
      final MethodHandle nullObject = MethodHandles.foldArguments(genericHandle.asType(samType),
          MethodHandles.lookup().findVirtual(AtomicLong.class, "incrementAndGet", MethodType.methodType(long.class))
              .bindTo(genericCalls).asType(MethodType.methodType(void.class)));
      this.cache = new InlineCache(lookup, type, shape.method(), samType, sam, keySources, extractors, miss,
          nullObject, "entry point " + method);
      this.function = type.cast(cache.function());
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("EntryPoint.dispatch is missing: " + e.getMessage(), e);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("the lookup " + lookup + " cannot access " + method + ", "
          + type.getName() + " or a key field: " + e.getMessage(), e);
    }
  }

  /** Starts declaring an entry point for {@code method}, exposed as {@code type}, with {@code lookup}'s access. */
  public static <F> EntryPointBuilder<F> builder(final MethodHandles.Lookup lookup, final Method method,
      final Class<F> type) {
    return new EntryPointBuilder<>(lookup, method, type);
  }

  /** The object callers call. */
  public F function() {
    return function;
  }

  /** The dispatch as a handle of the interface method's type (what woven entry methods link to). */
  MethodHandle dispatchHandle() {
    return cache.handle();
  }

  /** The counts of every choice so far. */
  public synchronized EntryCounters counters() {
    long specializedHits = retiredSpecializedHits;
    long genericHits = retiredGenericHits;
    for (final CacheEntry e : cached) {
      if (e.specialized) {
        specializedHits += e.hits();
      } else {
        genericHits += e.hits();
      }
    }
    return new EntryCounters(calls.get() + specializedHits + genericHits, specializedCalls.get() + specializedHits,
        genericCalls.get() + genericHits, specializations.get(), declined.get(), invalidations.get(),
        evictions.get(), backoffs.get(), queued.get(), raced.get(), dropped.get(), rejected.get(), retired.get());
  }

  /**
   * Whether the inline cache was rebuilt so often that compiled callers now call its chain indirectly (see
   * {@link InlineCache}).
   */
  synchronized boolean cacheIsIndirect() {
    return cache.isIndirect();
  }

  /** Calls the inline cache served without the full dispatch, so far. */
  synchronized long inlineCacheHits() {
    long hits = retiredSpecializedHits + retiredGenericHits;
    for (final CacheEntry e : cached) {
      hits += e.hits();
    }
    return hits;
  }

  /** How many keys are cached now (counting, specialized, declined or backed off). */
  public synchronized int cachedKeys() {
    return slots.size();
  }

  /**
   * Why the key {@code keyValues} (argument keys, then field keys, as {@link EntryPointBuilder#keys} and
   * {@link EntryPointBuilder#keyField} declared them) was declined, or {@code null} when it was not.
   */
  public synchronized String declinedBecause(final Object... keyValues) {
    final Slot s = slots.get(new Key(keyValues, keyByValue));
    return s == null ? null : s.declinedBecause;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Dispatch
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * The full dispatch, the inline cache's miss path: {@code all} holds the key values the cache read, then the
   * arguments.
   */
  private Object dispatch(final Object[] all) throws Throwable {
    calls.incrementAndGet();
    final int n = keySources.size();
    final Object[] args = Arrays.copyOfRange(all, n, all.length);
    final Key key = new Key(Arrays.copyOf(all, n), keyByValue);
    final Slot slot;
    boolean specializeNow = false;
    synchronized (this) {
      Slot s = slots.get(key);
      if (s == null) {
        s = new Slot(key);
        slots.put(key, s);
        evictBeyondBound(s);
      }
      slot = s;
      if (slot.state == State.COUNTING && ++slot.calls >= policy.specializeAfter()) {
        slot.state = policy.background() ? State.QUEUED : State.SPECIALIZING;
        specializeNow = true;
      }
    }
    if (specializeNow && policy.background()) {
      enqueue(slot, Arrays.copyOf(all, n), args);
    } else if (specializeNow) {
      specialize(slot, Arrays.copyOf(all, n), args);
    }
    final boolean specialized;
    final Object receiver;
    synchronized (this) {
      specialized = slot.state == State.SPECIALIZED;
      receiver = direct(slot);
      // A queued key's calls go through the inline cache to its replugger (the generic method until the plug).
      final boolean waiting = slot.state == State.QUEUED || policy.background() && slot.state == State.SPECIALIZING;
      final boolean settled = specialized || waiting || slot.state == State.DECLINED
          || slot.state == State.BACKED_OFF;
      if (settled && slot.cached == null && slots.get(slot.key) == slot) {
        cache(slot, Arrays.copyOf(all, n), specialized);
      }
    }
    (specialized ? specializedCalls : genericCalls).incrementAndGet();
    return spreadCall.invokeExact(receiver, args);
  }

  /**
   * Evicts least recently used keys beyond the bound. Calls served by the inline cache do not refresh a key's
   * recency (the fast path takes no lock), so keys in the cache count as the most recently used: they go last.
   */
  private void evictBeyondBound(final Slot arriving) {
    for (final boolean evictCached : new boolean[] {false, true}) {
      final Iterator<Slot> it = slots.values().iterator();
      while (slots.size() > policy.maxVersions() && it.hasNext()) {
        final Slot old = it.next();
        if (old == arriving || old.state == State.SPECIALIZING || (old.cached != null && !evictCached)) {
          continue; // a specializing key is finished by its thread and evicted next time
        }
        it.remove();
        evictions.incrementAndGet();
        uncache(old);
        if (old.version != null) {
          final Version<F> v = old.version;
          old.version = null;
          v.discard();
        }
      }
    }
  }

  /**
   * Puts {@code slot}'s invoker first in the inline cache; beyond the bound the entry cached longest ago leaves it.
   * Holds this.
   */
  private void cache(final Slot slot, final Object[] keyValues, final boolean specialized) {
    final int bound = Math.min(policy.maxVersions(), InlineCache.MAX_ENTRIES);
    while (cached.size() >= bound) {
      final CacheEntry old = cached.get(cached.size() - 1);
      for (final Slot s : slots.values()) {
        if (s.cached == old) {
          s.cached = null;
        }
      }
      retire(old);
    }
    slot.cached = cache.entry(keyValues, slot.replugger::invoker, direct(slot), specialized);
    cached.add(0, slot.cached);
    rebuild();
  }

  /**
   * Rebuilds the inline cache from {@link #cached}. When that turns it unstable, the versions with a residual class
   * of their own are let go ({@code retired}): the entry function's one interface call then sees only versions that
   * share their classes, few classes the JIT can inline, rather than a class per key it saw before. Their keys count
   * their calls again and are specialized anew, sharing. Holds this.
   */
  private void rebuild() {
    final boolean wasIndirect = cache.isIndirect();
    cache.rebuild(cached);
    if (wasIndirect || !cache.isIndirect()) {
      return;
    }
    for (final Slot s : new ArrayList<>(slots.values())) {
      if (s.state == State.SPECIALIZED && s.version != null) {
        final Version<F> v = s.version;
        s.version = null; // so that onInvalidated, called by the discard, leaves the slot to this loop
        s.state = State.COUNTING;
        s.calls = 0;
        uncache(s);
        v.discard();
        retired.incrementAndGet();
      }
    }
  }

  /** Takes {@code slot} out of the inline cache, so its next call goes through the full dispatch. Holds this. */
  private void uncache(final Slot slot) {
    if (slot.cached == null) {
      return;
    }
    retire(slot.cached);
    slot.cached = null;
    rebuild();
  }

  /** Removes {@code entry} from the cache list, keeping its hits. Holds this. */
  private void retire(final CacheEntry entry) {
    cached.remove(entry);
    if (entry.specialized) {
      retiredSpecializedHits += entry.hits();
    } else {
      retiredGenericHits += entry.hits();
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Specialization
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Hands {@code slot} (now {@code QUEUED}) to the background executor; called outside the monitor, so an executor
   * that runs jobs in the caller does not specialize under it. A refusal puts the key back to counting.
   */
  private void enqueue(final Slot slot, final Object[] keyValues, final Object[] args) {
    // The key objects' QUIDs now, in the calling thread: its own later writes to them then take the guarded path
    // whatever the job's timing (see EntryPolicy#background for the objects the job reaches itself).
    for (final int k : keys) {
      if (args[k] instanceof QuidHolder) {
        org.quasi.runtime.Guards.quidOf(args[k]);
      }
    }
    queued.incrementAndGet();
    try {
      specializer.execute(() -> runQueued(slot, keyValues, args));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      synchronized (this) {
        queued.decrementAndGet();
        rejected.incrementAndGet();
        if (slot.state == State.QUEUED) {
          slot.state = State.COUNTING;
          slot.calls = 0;
          uncache(slot);
        }
      }
    }
  }

  /** The background job: specializes {@code slot} unless its key was evicted while it waited (then dropped). */
  private void runQueued(final Slot slot, final Object[] keyValues, final Object[] args) {
    synchronized (this) {
      if (slot.state != State.QUEUED || slots.get(slot.key) != slot) {
        dropped.incrementAndGet();
        return;
      }
      slot.state = State.SPECIALIZING;
    }
    specialize(slot, keyValues, args);
  }

  private void specialize(final Slot slot, final Object[] keyValues, final Object[] args) {
    final SpecializeEvent event = new SpecializeEvent();
    event.begin();
    String reason = null;
    Version<F> version = null;
    try {
      version = versions.make(keyValues, args, cache.isIndirect(), slot.replugger,
          () -> method.getName() + " for " + slot.key, invalidated -> onInvalidated(slot, invalidated));
    } catch (SpecializationDeclined e) {
      reason = e.getMessage();
    } catch (IllegalArgumentException | IllegalAccessException | NoSuchFieldException e) {
      reason = e.getMessage();
    } catch (VersionMaker.Declined e) {
      reason = e.getMessage();
    }
    boolean declinedNow;
    synchronized (this) {
      final String outcome;
      if (version != null && version.isPlugged()) {
        slot.version = version;
        slot.state = State.SPECIALIZED;
        specializations.incrementAndGet();
        outcome = "plugged";
        if (slot.cached != null && !slot.cached.specialized && slots.get(slot.key) == slot) {
          // Cached while queued: same place, same invoker, now counted as specialized (one rebuild).
          final int at = cached.indexOf(slot.cached);
          retiredGenericHits += slot.cached.hits();
          slot.cached = cache.entry(keyValues, slot.replugger::invoker, direct(slot), true);
          cached.set(at, slot.cached);
          rebuild();
        }
      } else if (version != null) {
        // A guarded write raced with the plug: count it as an invalidation and try again later.
        slot.calls = 0;
        slot.state = State.COUNTING;
        invalidations.incrementAndGet();
        raced.incrementAndGet();
        uncache(slot);
        outcome = "raced";
      } else {
        slot.state = State.DECLINED;
        slot.declinedBecause = reason;
        declined.incrementAndGet();
        outcome = "declined";
      }
      event.end();
      if (event.shouldCommit()) {
        event.entry = method.toString();
        event.key = slot.key.toString();
        event.outcome = outcome;
        event.thread = Thread.currentThread().getName();
        event.background = policy.background();
        event.detail = version != null ? version.description() : reason;
        event.commit();
      }
      declinedNow = slot.state == State.DECLINED;
      if (!slots.containsKey(slot.key) && slot.version != null) {
        // Evicted while specializing.
        final Version<F> v = slot.version;
        slot.version = null;
        v.discard();
      }
    }
    if (declinedNow && onDecline != null) {
      onDecline.accept(slot.key.toString(), reason);
    }
  }

  private void onInvalidated(final Slot slot, final Version<F> v) {
    synchronized (this) {
      if (slot.version != v) {
        return; // not (yet) recorded: specialize() counts it
      }
      slot.version = null;
      invalidations.incrementAndGet();
      uncache(slot);
      if (++slot.invalidations >= policy.backoffAfter()) {
        slot.state = State.BACKED_OFF;
        backoffs.incrementAndGet();
        final BackoffEvent event = new BackoffEvent();
        if (event.shouldCommit()) {
          event.entry = method.toString();
          event.key = slot.key.toString();
          event.invalidations = slot.invalidations;
          event.commit();
        }
      } else {
        slot.state = State.COUNTING;
        slot.calls = 0;
      }
    }
  }

  /**
   * What an unstable inline cache, and the full dispatch, call for {@code slot} (see {@link InlineCache}): the
   * replugger's invoker under a counting policy, whose bracket must count the call; otherwise the target plugged now,
   * one call closer to the version, and no invoker class to define for the key. A simple replugger guarantees nothing
   * more to calls already under way; every replug of the slot's replugger (plug, invalidation, eviction) re-caches or
   * un-caches the slot under this monitor, so a new call from the cache after a replug never reaches the old target,
   * and the full dispatch reads the target after the replug returned (the replugger's monitor and its volatile
   * target order the two). Holds this.
   */
  private Object direct(final Slot slot) {
    return policy.counting() ? slot.replugger.invoker() : slot.replugger.target();
  }

  @Override
  public String toString() {
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    return "EntryPoint[" + method + ", keys " + keySources.stream().map(k -> k.describe(instance)).toList() + ", "
        + counters() + "]";
  }
}
