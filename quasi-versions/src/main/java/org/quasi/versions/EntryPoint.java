package org.quasi.versions;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.quasi.runtime.QuidHolder;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.Version;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.versions.internal.BackoffEvent;
import org.quasi.versions.internal.CacheEntry;
import org.quasi.versions.internal.DispatcherClasses;
import org.quasi.versions.internal.Key;
import org.quasi.versions.internal.SpecializeEvent;
import org.quasi.runtime.internal.FunctionalShape;

/**
 * A specialized entry point (the version manager, paper §3.5): an object implementing the functional interface
 * {@code F} that runs, for each value of the key arguments, a version of the method specialized on those values and
 * on the quasi-invariant fields it reads, and keeps it only while guarded writes leave those fields alone.
 *
 * <pre>{@code
 * EntryPoint<Filter> entry = EntryPoint.builder(MethodHandles.lookup(), Rules.class.getMethod("accept", Rule.class,
 *         int.class), Filter.class)
 *     .keys(0).residual(Port.class).quasiInvariant(Rule.class, "port").policy(EntryPolicy.DEFAULT).build();
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
 * calling thread that crossed the threshold, outside it (other calls with that key run the generic method meanwhile).
 *
 * <p><b>Inline cache.</b> With one key of reference type and a public interface visible to Quasi, {@link #function()}
 * is a generated class that compares the key argument by identity with the two most recently specialized keys and
 * calls that key's replugger invoker directly; any other call takes the full dispatch above. A cached invoker is
 * always correct to call (after an invalidation it runs the fallback until the entry is dropped, under the entry
 * point's monitor, by the invalidation itself).
 *
 * @implNote Calls served by the inline cache are counted with a plain increment per entry: under contention some
 *     are lost, so {@code calls} and {@code specializedCalls} may undercount; the other counters are exact. Without
 *     the inline cache (several keys, primitive keys) calls go through {@link MethodHandleProxies} and
 *     {@code invokeWithArguments}, boxing every argument. Entry points are declared through this API only, not yet
 *     in the spec file.
 * @param <F> the functional interface: the method's JVM arguments (receiver first for an instance method)
 * @since 0.1
 */
public final class EntryPoint<F> {

  private enum State { COUNTING, SPECIALIZING, SPECIALIZED, DECLINED, BACKED_OFF }

  /** One key's cache entry. Mutable fields are guarded by the entry point's monitor. */
  private final class Slot {
    final Key key;
    final Replugger<F> replugger;
    final MethodHandle call;
    State state = State.COUNTING;
    int calls;
    int invalidations;
    Version<F> version;
    String declinedBecause;
    CacheEntry cached;

    Slot(final Key key) {
      this.key = key;
      this.replugger = policy.counting() ? Replugger.counting(type, generic) : Replugger.simple(type, generic);
      this.call = sam.bindTo(replugger.invoker());
    }
  }

  private final MethodHandles.Lookup lookup;
  private final Method method;
  private final Class<F> type;
  private final Class<?> residualType;
  private final int[] keys;
  private final Map<Class<?>, List<String>> quasiInvariants;
  private final EntryPolicy policy;
  private final F generic;
  private final MethodHandle sam;
  private final MethodHandle genericHandle;
  private final F function;

  /** The generated inline cache, or {@code null} (several keys, a primitive key, or an interface it cannot see). */
  private final DispatcherClasses.Dispatcher dispatcher;

  /** The next inline-cache entry to replace; guarded by this. */
  private int nextEntry;

  /** Hits of cache entries no longer in the cache. */
  private final AtomicLong retiredHits = new AtomicLong();
  private final LinkedHashMap<Key, Slot> slots = new LinkedHashMap<>(16, 0.75f, true);

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong specializedCalls = new AtomicLong();
  private final AtomicLong genericCalls = new AtomicLong();
  private final AtomicLong specializations = new AtomicLong();
  private final AtomicLong declined = new AtomicLong();
  private final AtomicLong invalidations = new AtomicLong();
  private final AtomicLong evictions = new AtomicLong();
  private final AtomicLong backoffs = new AtomicLong();

  private EntryPoint(final Builder<F> b) {
    this.lookup = b.lookup;
    this.method = b.method;
    this.type = b.type;
    this.residualType = b.residualType;
    this.keys = b.keys.clone();
    this.quasiInvariants = Map.copyOf(b.quasiInvariants);
    this.policy = b.policy;
    final Method samMethod = FunctionalShape.of(type, "an entry point").method();
    try {
      this.genericHandle = lookup.unreflect(method);
      final MethodType samType = MethodType.methodType(samMethod.getReturnType(), samMethod.getParameterTypes());
      this.generic = MethodHandleProxies.asInterfaceInstance(type, genericHandle.asType(samType));
      this.sam = MethodHandles.publicLookup().unreflect(samMethod);
      final MethodHandle dispatch = MethodHandles.lookup().findVirtual(EntryPoint.class, "dispatch",
          MethodType.methodType(Object.class, Object[].class)).bindTo(this);
      this.dispatcher = keys.length == 1 ? DispatcherClasses.define(type, samMethod, keys[0], this::dispatch) : null;
      this.function = dispatcher != null ? type.cast(dispatcher.instance())
          : MethodHandleProxies.asInterfaceInstance(type,
              dispatch.asCollector(Object[].class, samType.parameterCount()).asType(samType));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("EntryPoint.dispatch is missing: " + e.getMessage(), e);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("the lookup " + lookup + " cannot access " + method + " or "
          + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** Starts declaring an entry point for {@code method}, exposed as {@code type}, with {@code lookup}'s access. */
  public static <F> Builder<F> builder(final MethodHandles.Lookup lookup, final Method method, final Class<F> type) {
    return new Builder<>(lookup, method, type);
  }

  /** The object callers call. */
  public F function() {
    return function;
  }

  /** The counts of every choice so far. */
  public EntryCounters counters() {
    long hits = retiredHits.get();
    if (dispatcher != null) {
      for (final java.lang.invoke.VarHandle e : dispatcher.entries()) {
        final CacheEntry entry = (CacheEntry) e.getVolatile();
        hits += entry == null ? 0 : entry.hits;
      }
    }
    return new EntryCounters(calls.get() + hits, specializedCalls.get() + hits, genericCalls.get(),
        specializations.get(), declined.get(), invalidations.get(), evictions.get(), backoffs.get());
  }

  /** How many keys are cached now (counting, specialized, declined or backed off). */
  public synchronized int cachedKeys() {
    return slots.size();
  }

  /** Why the key {@code keyValues} was declined, or {@code null} when it was not. */
  public synchronized String declinedBecause(final Object... keyValues) {
    final Slot s = slots.get(new Key(keyValues));
    return s == null ? null : s.declinedBecause;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Dispatch
  // -----------------------------------------------------------------------------------------------------------------

  /** The full dispatch: the slow path of the generated inline cache, and every call without one. */
  private Object dispatch(final Object[] args) throws Throwable {
    calls.incrementAndGet();
    final Object[] keyValues = new Object[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyValues[i] = args[keys[i]];
    }
    final Key key = new Key(keyValues);
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
        slot.state = State.SPECIALIZING;
        specializeNow = true;
      }
    }
    if (specializeNow) {
      specialize(slot, args);
    }
    final boolean specialized;
    synchronized (this) {
      specialized = slot.state == State.SPECIALIZED;
      if (specialized && dispatcher != null && slot.cached == null && slots.get(slot.key) == slot) {
        cache(slot, args[keys[0]]);
      }
    }
    (specialized ? specializedCalls : genericCalls).incrementAndGet();
    return slot.call.invokeWithArguments(args);
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

  /** Puts {@code slot}'s invoker in the inline cache, replacing entries round robin. Holds this. */
  private void cache(final Slot slot, final Object keyObject) {
    final int i = nextEntry;
    nextEntry = (i + 1) % DispatcherClasses.ENTRIES;
    final CacheEntry old = (CacheEntry) dispatcher.entries()[i].getVolatile();
    if (old != null) {
      retiredHits.addAndGet(old.hits);
      for (final Slot s : slots.values()) {
        if (s.cached == old) {
          s.cached = null;
        }
      }
    }
    slot.cached = new CacheEntry(keyObject, slot.replugger.invoker());
    dispatcher.entries()[i].setVolatile(slot.cached);
  }

  /** Takes {@code slot} out of the inline cache, so its next call goes through the full dispatch. Holds this. */
  private void uncache(final Slot slot) {
    if (dispatcher == null || slot.cached == null) {
      return;
    }
    for (final java.lang.invoke.VarHandle e : dispatcher.entries()) {
      if (e.getVolatile() == slot.cached) {
        e.setVolatile(null);
      }
    }
    retiredHits.addAndGet(slot.cached.hits);
    slot.cached = null;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Specialization
  // -----------------------------------------------------------------------------------------------------------------

  private void specialize(final Slot slot, final Object[] args) {
    final SpecializeEvent event = new SpecializeEvent();
    event.begin();
    String reason = null;
    Version<F> version = null;
    try {
      version = makeVersion(slot, args);
    } catch (SpecializationDeclined e) {
      reason = e.getMessage();
    } catch (IllegalArgumentException | IllegalAccessException | NoSuchFieldException e) {
      reason = e.getMessage();
    } catch (Declined e) {
      reason = e.getMessage();
    }
    synchronized (this) {
      final String outcome;
      if (version != null && version.isPlugged()) {
        slot.version = version;
        slot.state = State.SPECIALIZED;
        specializations.incrementAndGet();
        outcome = "plugged";
      } else if (version != null) {
        // A guarded write raced with the plug: count it as an invalidation and try again later.
        slot.calls = 0;
        slot.state = State.COUNTING;
        invalidations.incrementAndGet();
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
        event.detail = version != null ? version.description() : reason;
        event.commit();
      }
      if (!slots.containsKey(slot.key) && slot.version != null) {
        // Evicted while specializing.
        final Version<F> v = slot.version;
        slot.version = null;
        v.discard();
      }
    }
  }

  private Version<F> makeVersion(final Slot slot, final Object[] args)
      throws SpecializationDeclined, IllegalAccessException, NoSuchFieldException, Declined {
    // Install the key objects' QUIDs before the specializer reads them (see Guards: the fast-path race).
    for (final int k : keys) {
      if (args[k] instanceof QuidHolder) {
        org.quasi.runtime.Guards.quidOf(args[k]);
      }
    }
    SpecializationRequest<Object> request = Specializer.of(lookup).method(method);
    for (final int k : keys) {
      request = request.known(k, args[k]);
    }
    for (final Map.Entry<Class<?>, List<String>> e : quasiInvariants.entrySet()) {
      request = request.quasiInvariant(e.getKey(), e.getValue().toArray(String[]::new));
    }
    final Specialization<?> s = request.as(residualType).specialize();
    final List<Dependency> deps = s.dependencies();
    final List<MethodHandle> rereads = new ArrayList<>();
    for (final Dependency d : deps) {
      switch (d.kind()) {
        case ARRAY_ELEMENT -> throw new Declined("relies on " + d + ": writes to array elements are not guarded");
        case QUASI_INVARIANT_FIELD -> {
          if (d.object() != null && !(d.object() instanceof QuidHolder)) {
            throw new Declined("relies on " + d + ", whose class " + d.object().getClass().getName()
                + " was not woven: its writes are not guarded (run with -javaagent:quasi-agent.jar or weave it)");
          }
          if (d.object() == null && !hasFlag(d.owner(), d.field())) {
            throw new Declined("relies on " + d + ", whose class was not woven: its writes are not guarded");
          }
          rereads.add(reader(d));
        }
        case FINAL_FIELD -> rereads.add(reader(d));
        default -> throw new Declined("unknown dependency kind " + d.kind());
      }
    }
    final String write = ResidualWrites.firstWriteTo(s.residual().classFile(), quasiInvariants, deps);
    if (write != null) {
      throw new Declined("the specialized code writes " + write + " itself, and residual code is not woven");
    }
    final F code = asEntryShape(s.function());
    final Version<F> v = Version.of(slot.replugger, code, generic, method.getName() + " for " + slot.key,
        invalidated -> onInvalidated(slot, invalidated));
    for (final Dependency d : deps) {
      if (d.kind() == Dependency.Kind.QUASI_INVARIANT_FIELD) {
        v.dependOn(d.object(), d.owner(), d.field());
      }
    }
    v.plug(() -> stillHold(deps, rereads));
    return v;
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

  /** Wraps the residual function (unknown arguments only) as {@code F}, ignoring the key arguments. */
  private F asEntryShape(final Object residual) throws IllegalAccessException {
    final Method samMethod = FunctionalShape.of(type, "an entry point").method();
    final Method residualSam = FunctionalShape.of(residualType, "an entry point").method();
    final Object adapter = DispatcherClasses.adapter(type, samMethod, keys, residualType, residualSam, residual);
    if (adapter != null) {
      return type.cast(adapter);
    }
    MethodHandle h = MethodHandles.publicLookup().unreflect(residualSam).bindTo(residual);
    final Class<?>[] params = samMethod.getParameterTypes();
    final int[] sorted = keys.clone();
    Arrays.sort(sorted);
    for (final int k : sorted) {
      h = MethodHandles.dropArguments(h, k, params[k]);
    }
    return MethodHandleProxies.asInterfaceInstance(type,
        h.asType(MethodType.methodType(samMethod.getReturnType(), params)));
  }

  private MethodHandle reader(final Dependency d) throws IllegalAccessException, NoSuchFieldException {
    final Class<?> fieldType = d.owner().getDeclaredField(d.field()).getType();
    final VarHandle vh = d.object() == null ? lookup.findStaticVarHandle(d.owner(), d.field(), fieldType)
        : lookup.findVarHandle(d.owner(), d.field(), fieldType);
    return vh.toMethodHandle(VarHandle.AccessMode.GET_VOLATILE);
  }

  private static boolean stillHold(final List<Dependency> deps, final List<MethodHandle> rereads) {
    try {
      for (int i = 0; i < deps.size(); i++) {
        final Dependency d = deps.get(i);
        final Object now = d.object() == null ? rereads.get(i).invoke() : rereads.get(i).invoke(d.object());
        if (!d.equals(new Dependency(d.kind(), d.object(), d.owner(), d.field(), d.index(), now))) {
          return false;
        }
      }
      return true;
    } catch (Throwable t) {
      return false;
    }
  }

  private static boolean hasFlag(final Class<?> owner, final String field) {
    try {
      owner.getDeclaredField("$quasi$flag$" + field);
      return true;
    } catch (NoSuchFieldException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "EntryPoint[" + method + ", keys " + Arrays.toString(keys) + ", " + counters() + "]";
  }

  /** A reason the version manager declines to plug a specialization. */
  private static final class Declined extends Exception {
    private static final long serialVersionUID = 1L;

    Declined(final String message) {
      super(message);
    }
  }

  /**
   * Declares an entry point: a mutable, one-use builder (each setter returns it).
   *
   * @param <F> the functional interface
   */
  public static final class Builder<F> {
    private final MethodHandles.Lookup lookup;
    private final Method method;
    private final Class<F> type;
    private Class<?> residualType;
    private int[] keys = new int[0];
    private final Map<Class<?>, List<String>> quasiInvariants = new LinkedHashMap<>();
    private EntryPolicy policy = EntryPolicy.DEFAULT;

    private Builder(final MethodHandles.Lookup lookup, final Method method, final Class<F> type) {
      this.lookup = Objects.requireNonNull(lookup, "lookup");
      this.method = Objects.requireNonNull(method, "method");
      this.type = Objects.requireNonNull(type, "type");
    }

    /** The key arguments, numbered as the JVM passes them (receiver 0 for an instance method). */
    public Builder<F> keys(final int... indices) {
      final int n = Modifier.isStatic(method.getModifiers()) ? method.getParameterCount()
          : method.getParameterCount() + 1;
      for (final int i : indices) {
        if (i < 0 || i >= n) {
          throw new IllegalArgumentException("key argument " + i + " out of range: " + method + " takes " + n
              + " JVM arguments");
        }
      }
      this.keys = indices.clone();
      return this;
    }

    /** The functional interface the residual code implements: the non-key arguments in order. */
    public Builder<F> residual(final Class<?> residual) {
      this.residualType = Objects.requireNonNull(residual, "residual");
      return this;
    }

    /** Fields of {@code owner} the specializer may fold as quasi-invariants. */
    public Builder<F> quasiInvariant(final Class<?> owner, final String... fields) {
      quasiInvariants.computeIfAbsent(owner, o -> new ArrayList<>()).addAll(List.of(fields));
      return this;
    }

    public Builder<F> policy(final EntryPolicy newPolicy) {
      this.policy = Objects.requireNonNull(newPolicy, "policy");
      return this;
    }

    /**
     * Declares the entry point.
     *
     * @throws IllegalArgumentException when no residual interface was given, or the lookup lacks access
     */
    public EntryPoint<F> build() {
      if (residualType == null) {
        throw new IllegalArgumentException("give the residual interface (the non-key arguments) with residual()");
      }
      return new EntryPoint<>(this);
    }
  }
}
