package org.quasi.versions;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.quasi.runtime.QuidHolder;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.Version;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.versions.internal.DependencyRereads;
import org.quasi.versions.internal.KeySource;

/**
 * How an {@link EntryPoint} makes a key's version (paper §3.5, "specialize, then guard, then plug"): the
 * specialization request (the method, the declared quasi-invariants, the key objects known, field keys assumed), the
 * checks that every location the code relies on is guarded, and the registration and re-read before the plug. The
 * residual code implements the entry's interface itself ({@link SpecializationRequest#asReplacement}): the dispatch
 * calls it with the whole call's arguments, and it ignores the keys. The entry point decides when (its keys' states,
 * its cache); this class only makes. Thread-safe: its caches are concurrent, and a request is immutable.
 *
 * @param <F> the entry's functional interface
 */
final class VersionMaker<F> {

  private final MethodHandles.Lookup lookup;
  private final Method method;
  private final Class<F> type;
  /** The JVM arguments that are keys or that field keys are read from: known to the specializer. */
  private final int[] keys;
  /** Every key value's source, in key order: argument keys, then field keys. */
  private final List<KeySource> keySources;
  private final Map<Class<?>, List<String>> quasiInvariants;
  /** What a version falls back to. */
  private final F generic;

  /** What every specialization request of this entry point starts from, once made ({@link #baseRequest()}). */
  private volatile SpecializationRequest<Object> baseRequest;

  /** Readers of the fields versions depend on, made through the lookup once per field. */
  private final Map<Class<?>, Map<String, DependencyRereads.Reread>> rereaders =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * What the dependencies of specializations made from one template were found to be ({@link #checked}), by
   * template; weak, so that a template the specializer lets go takes its entry with it.
   */
  private final Map<Object, Checked> checkedByTemplate = new java.util.WeakHashMap<>();


  VersionMaker(final MethodHandles.Lookup lookup, final Method method, final Class<F> type,
      final int[] keys, final List<KeySource> keySources,
      final Map<Class<?>, List<String>> quasiInvariants, final F generic) {
    this.lookup = lookup;
    this.method = method;
    this.type = type;
    this.keys = keys.clone();
    this.keySources = keySources;
    this.quasiInvariants = quasiInvariants;
    this.generic = generic;
  }

  /**
   * The request every version starts from: the method and the declared quasi-invariants, resolved once (a request
   * is immutable, so each version adds its own keys to it).
   */
  private SpecializationRequest<Object> baseRequest() {
    SpecializationRequest<Object> base = baseRequest;
    if (base == null) {
      base = Specializer.of(lookup).method(method);
      for (final Map.Entry<Class<?>, List<String>> e : quasiInvariants.entrySet()) {
        base = base.quasiInvariant(e.getKey(), e.getValue().toArray(String[]::new));
      }
      baseRequest = base;
    }
    return base;
  }

  /**
   * Specializes the method for a key, checks that the version may be plugged, registers it on every location it
   * relies on, and plugs it into {@code replugger}; the result may have lost a race with a guarded write (then it is
   * not plugged: {@link Version#isPlugged}).
   *
   * @param keyValues     the key's values, in key order
   * @param args          the call's arguments (the key objects among them)
   * @param share         whether the version shares its residual class with other keys' (an unstable cache)
   * @param replugger     the key's replugger
   * @param description   what the version's events and messages call it, asked for when first needed
   * @param onInvalidated told when a guarded write invalidates the version
   * @throws Declined when the version relies on a location whose writes are not guarded, or writes one itself
   */
  Version<F> make(final Object[] keyValues, final Object[] args, final boolean share, final Replugger<F> replugger,
      final java.util.function.Supplier<String> description,
      final java.util.function.Consumer<Version<F>> onInvalidated)
      throws SpecializationDeclined, IllegalAccessException, NoSuchFieldException, Declined {
    // Install the key objects' QUIDs before the specializer reads them (see Guards: the fast-path race).
    for (final int k : keys) {
      if (args[k] instanceof QuidHolder) {
        org.quasi.runtime.Guards.quidOf(args[k]);
      }
    }
    SpecializationRequest<Object> request = baseRequest();
    for (final int k : keys) {
      request = request.known(k, args[k]);
    }
    for (int i = 0; i < keySources.size(); i++) {
      final KeySource k = keySources.get(i);
      if (k.isField()) {
        request = request.assumeField(args[k.argument()], k.field(), keyValues[i]);
      }
    }
    // Keys that keep changing (an unstable inline cache): versions share their class, so a new one reuses code
    // the JIT compiled for an earlier key instead of running a fresh class from the interpreter up.
    final Specialization<F> s = request.shareCode(share).asReplacement(type).specialize();
    // The loops over the dependencies run as cold code, twice per run of a program whose keys keep changing, over
    // hundreds of dependencies: each body is one call, which the JIT compiles after the first versions.
    final Dependency[] deps = s.dependencies().toArray(new Dependency[0]);
    // Checked at each version, not with the template: the agent may mark a field after a template was checked.
    for (int i = 0; i < deps.length; i++) {
      declineIfUnguarded(deps[i]);
    }
    final Checked checked = checked(s, deps);
    if (checked.write() != null) {
      throw new Declined("the specialized code writes " + checked.write() + " itself, and residual code is not woven");
    }
    final DependencyRereads.Reread[] rereads = checked.rereads();
    final F code = s.function();
    final Version<F> v = Version.of(replugger, code, generic, description, onInvalidated::accept);
    for (int i = 0; i < deps.length; i++) {
      dependOn(v, deps[i]);
    }
    v.plug(() -> DependencyRereads.stillHold(deps, rereads));
    return v;
  }

  /**
   * What a specialization's dependencies and writes were found to be: how to re-read each dependency, and the first
   * field the code writes that a version relies on (or null).
   */
  private record Checked(DependencyRereads.Reread[] rereads, String write) {
  }

  /**
   * Checks {@code s}'s dependencies, or takes what an earlier specialization from the same template was found to
   * be: its dependencies are of the same kinds on the same fields, of objects of the same classes
   * ({@link org.quasi.specializer.ResidualCode#template}), and its class file writes the same fields.
   */
  private Checked checked(final Specialization<?> s, final Dependency[] deps)
      throws Declined, IllegalAccessException, NoSuchFieldException {
    final Object template = s.residual().template();
    if (template != null) {
      final Checked known;
      synchronized (checkedByTemplate) {
        known = checkedByTemplate.get(template);
      }
      if (known != null) {
        return known;
      }
    }
    final DependencyRereads.Reread[] rereads = new DependencyRereads.Reread[deps.length];
    for (int i = 0; i < deps.length; i++) {
      rereads[i] = guardedReread(deps[i]);
    }
    final Checked made = new Checked(rereads,
        ResidualWrites.firstWriteTo(s.residual().fieldsWritten(), quasiInvariants, s.dependencies()));
    if (template != null) {
      synchronized (checkedByTemplate) {
        checkedByTemplate.put(template, made);
      }
    }
    return made;
  }

  /**
   * How to read {@code d} again at the plug; declines a dependency whose writes are not guarded (an array element,
   * a field of a class that was not woven).
   */
  private DependencyRereads.Reread guardedReread(final Dependency d)
      throws Declined, IllegalAccessException, NoSuchFieldException {
    switch (d.kind()) {
      case ARRAY_ELEMENT -> throw new Declined("relies on " + d + ": writes to array elements are not guarded");
      case QUASI_INVARIANT_FIELD -> {
        if (d.object() != null && !(d.object() instanceof QuidHolder)) {
          throw new Declined("relies on " + d + ", whose class " + d.object().getClass().getName()
              + " was not woven: its writes are not guarded (run with -javaagent:quasi-agent.jar or weave it)");
        }
        if (d.object() == null && !DependencyRereads.hasFlag(d.owner(), d.field())) {
          throw new Declined("relies on " + d + ", whose class was not woven: its writes are not guarded");
        }
        return DependencyRereads.reader(lookup, d, rereaders);
      }
      case FINAL_FIELD -> {
        return DependencyRereads.reader(lookup, d, rereaders);
      }
      default -> throw new Declined("unknown dependency kind " + d.kind());
    }
  }

  /** Declines a dependency on a field that loaded code writes without a guard (a class the agent could not weave). */
  private static void declineIfUnguarded(final Dependency d) throws Declined {
    if (d.kind() == Dependency.Kind.QUASI_INVARIANT_FIELD) {
      final String why = org.quasi.runtime.Guards.unguardedWriter(d.owner(), d.field());
      if (why != null) {
        throw new Declined("relies on " + d + ", which loaded code writes without a guard: " + why);
      }
    }
  }

  /** Registers {@code v} on {@code d}'s location when writes to it are guarded (a final field has none). */
  private static void dependOn(final Version<?> v, final Dependency d) {
    if (d.kind() == Dependency.Kind.QUASI_INVARIANT_FIELD) {
      v.dependOn(d.object(), d.owner(), d.field());
    }
  }


  /** A reason the version manager declines to plug a specialization. */
  static final class Declined extends Exception {
    private static final long serialVersionUID = 1L;

    Declined(final String message) {
      super(message);
    }
  }
}
