package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quasi.specializer.Budgets;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.JdkPolicy;
import org.quasi.specializer.SpecializationSummary;

/**
 * A specialization kept to be made again on other objects without evaluating: its residual class file, and the
 * {@link HeapTrace} of what evaluation learnt from the heap. This is run-time specialization by templates, as Tempo
 * did it, except that the template is the first specialization itself: a version manager asks for the same entry
 * point again and again for new keys of the same shape (each run's kernel, each session's parser), and when the
 * trace replays on the new keys — every field, element and folded call reads the same, the objects reached have the
 * same classes and identities — the residual code is the template's, its known objects and dependencies the new ones.
 *
 * <p>Templates are kept for requests that share code ({@code SpecializationRequest.shareCode}: what a version
 * manager asks when its keys keep changing, and what templates pay for), per lookup class, only for lookups with full
 * privilege access (the lookup class then stands for the access evaluation saw), under a key of everything else the
 * request says: the method, which arguments are known and the primitive ones' values, the fields assumed and on
 * which arguments, the quasi-invariants, budgets, JDK policy and interface. At most {@link #MAX_KEYS} keys per lookup
 * class, each with its {@link #MAX_PER_KEY} latest templates; the least recently used go first. Thread-safe.
 */
final class SpecializationTemplate {
  /** Request keys kept per lookup class. */
  static final int MAX_KEYS = 32;
  /** Templates kept per request key (different heap shapes). */
  static final int MAX_PER_KEY = 4;

  /** A dependency with its object and value named as in the trace. */
  private record DependencyForm(Dependency.Kind kind, int object, Class<?> owner, String field, int index,
      Object value) {
    /** This dependency on the objects a replay bound. */
    Dependency on(final Object[] bound) {
      return new Dependency(kind, object < 0 ? null : bound[object], owner, field, index,
          value instanceof HeapTrace.Ref r ? bound[r.number()] : value);
    }
  }

  private static final ClassValue<Map<List<Object>, List<SpecializationTemplate>>> BY_LOOKUP =
      PerLookup.lru(MAX_KEYS);

  /** Templates made again from, over all lookups (for tests and diagnostics). */
  private static final java.util.concurrent.atomic.AtomicLong INSTANTIATIONS =
      new java.util.concurrent.atomic.AtomicLong();

  private final HeapTrace trace;
  private final int[] keys;
  private final byte[] classFile;
  private final int[] classData;
  private final DependencyForm[] dependencies;
  private final SpecializationSummary summary;
  private final boolean trialsSettledEarly;
  /** The shared class's constructor, once a first instance found it: later ones need not hash the class file. */
  private volatile java.lang.invoke.MethodHandle constructor;

  private SpecializationTemplate(final HeapTrace trace, final int[] keys, final byte[] classFile,
      final int[] classData, final DependencyForm[] dependencies, final SpecializationSummary summary,
      final boolean trialsSettledEarly) {
    this.trace = trace;
    this.keys = keys;
    this.classFile = classFile;
    this.classData = classData;
    this.dependencies = dependencies;
    this.summary = summary;
    this.trialsSettledEarly = trialsSettledEarly;
  }

  /**
   * The key of a request, or null when it keeps no templates: it does not share code or define a class, its lookup
   * lacks full privilege access, or it assumes a field of an object that is not one of its known arguments.
   */
  static List<Object> key(final MethodHandles.Lookup lookup, final Method method, final boolean[] known,
      final Object[] values, final boolean[] reference, final Set<Field> quasiInvariants,
      final FieldAssumptions assumptions, final boolean foldFinals, final Budgets budgets, final JdkPolicy jdkPolicy,
      final Class<?> functional, final boolean replacement, final boolean shareCode, final boolean settleTrialsEarly) {
    if (!shareCode || functional == null || !lookup.hasFullPrivilegeAccess()) {
      return null;
    }
    final List<Object> key = new ArrayList<>();
    key.add(method);
    for (int i = 0; i < known.length; i++) {
      // Unknown, a known primitive by value, a known object by whether it is null (its class is the trace's).
      key.add(!known[i] ? "?" : reference[i] ? (values[i] == null ? "null" : "object") : values[i]);
    }
    for (final FieldAssumptions.Assumption a : assumptions.all()) {
      int argument = -1;
      for (int i = 0; i < known.length && argument < 0; i++) {
        argument = known[i] && reference[i] && values[i] == a.object() ? i : -1;
      }
      if (argument < 0) {
        return null;
      }
      key.add(List.of(argument, a.field()));
    }
    key.add(quasiInvariants);
    key.add(foldFinals);
    key.add(budgets);
    key.add(jdkPolicy);
    key.add(functional);
    key.add(replacement);
    key.add(settleTrialsEarly);
    key.add(lookup.lookupModes());
    return key;
  }

  /**
   * Makes a template of a finished specialization, or returns null when its trace is opaque or names some object of
   * its class data or dependencies that it never numbered.
   */
  static SpecializationTemplate of(final HeapTrace trace, final int[] keys, final Engine.Result result) {
    if (trace.opaqueReason() != null) {
      return null;
    }
    final int[] data = new int[result.classData().size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = trace.numberIfAny(result.classData().get(i));
      if (data[i] < 0) {
        return null;
      }
    }
    final List<DependencyForm> forms = new ArrayList<>();
    for (final Dependency d : result.dependencies()) {
      final int object = d.object() == null ? -1 : trace.numberIfAny(d.object());
      final boolean primitive = d.isArrayElement() ? d.owner().getComponentType().isPrimitive()
          : fieldType(d.owner(), d.field()).isPrimitive();
      final Object value = trace.encodeFinished(d.value(), primitive);
      if (d.object() != null && object < 0 || d.value() != null && value == null) {
        return null;
      }
      forms.add(new DependencyForm(d.kind(), object, d.owner(), d.field(), d.index(), value));
    }
    trace.seal();
    return new SpecializationTemplate(trace, keys.clone(), result.classFile(), data,
        forms.toArray(new DependencyForm[0]), result.summary(), result.trialsSettledEarly());
  }

  private static Class<?> fieldType(final Class<?> owner, final String name) {
    try {
      return owner.getDeclaredField(name).getType();
    } catch (NoSuchFieldException e) {
      // The dependency was read from this very field: it exists. An object type makes the template conservative.
      return Object.class;
    }
  }

  /** Keeps {@code template} for {@code key}. */
  static void put(final Class<?> lookupClass, final List<Object> key, final SpecializationTemplate template) {
    final Map<List<Object>, List<SpecializationTemplate>> m = BY_LOOKUP.get(lookupClass);
    synchronized (m) {
      final List<SpecializationTemplate> list = new ArrayList<>(m.getOrDefault(key, List.of()));
      list.add(0, template);
      m.put(key, List.copyOf(list.subList(0, Math.min(list.size(), MAX_PER_KEY))));
    }
  }

  /** The templates kept for {@code key}, latest first. */
  static List<SpecializationTemplate> find(final Class<?> lookupClass, final List<Object> key) {
    final Map<List<Object>, List<SpecializationTemplate>> m = BY_LOOKUP.get(lookupClass);
    synchronized (m) {
      return m.getOrDefault(key, List.of());
    }
  }

  /** How many specializations were made from templates, over all lookups since the JVM started. */
  static long instantiations() {
    return INSTANTIATIONS.get();
  }

  /** What a template gives for a new request: its class file and summary, the new class data and dependencies. */
  record Instance(byte[] classFile, List<Object> classData, List<Dependency> dependencies,
      SpecializationSummary summary, boolean trialsSettledEarly) {
  }

  /**
   * Replays the trace on a request's values and assumptions; returns the specialization this template gives them,
   * or null when some observation differs.
   */
  Instance instantiate(final Object[] values, final FieldAssumptions assumptions, final ClassRepository repository) {
    final Object[] bound = trace.replay(keys, values, assumptions, repository);
    if (bound == null) {
      return null;
    }
    final List<Object> data = new ArrayList<>(classData.length);
    for (final int n : classData) {
      data.add(bound[n]);
    }
    // One call per dependency: this loop runs as cold code, its body compiled (a version depends on hundreds).
    final Dependency[] deps = new Dependency[dependencies.length];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = dependencies[i].on(bound);
    }
    INSTANTIATIONS.incrementAndGet();
    return new Instance(classFile, List.copyOf(data), List.of(deps), summary, trialsSettledEarly);
  }

  /** A new instance of the shared class of this template's code, holding {@code classData}. */
  Object newInstance(final MethodHandles.Lookup lookup, final ClassRepository repository,
      final List<Object> classData) throws Throwable {
    java.lang.invoke.MethodHandle c = constructor;
    if (c == null) {
      c = SharedResidualClasses.constructor(lookup, repository, classFile);
      constructor = c;
    }
    return c.invokeExact(classData.toArray());
  }

  @Override
  public String toString() {
    return "template of " + trace.objects() + " objects, keys " + Arrays.toString(keys);
  }
}
