package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.specializer.internal.ClassRepository.ResolvedMethod;
import org.quasi.specializer.internal.Value.Kind;

/**
 * What one specialization learnt from the live heap, in the order it learnt it: every object it held as a known value
 * gets a number (the request's known objects first), and every fact it drew from such an object is an observation —
 * a field read, an array length or element, a call folded to its result — whose inputs and result name objects by
 * number. Besides observations, partial evaluation looks at a known object only for its class and its identity: the
 * class is recorded with the number, identity is the numbering itself.
 *
 * <p>A {@link SpecializationTemplate} {@link #replay replays} the observations on another request's objects. Partial
 * evaluation is a function of the code, the request's shape and these observations (up to the order of hash-based
 * choices, each of which is correct): when every observation gives the same result on the new objects, numbered alike
 * (same classes, same identities among them), evaluating again would give the same residual code, referring to the
 * new objects where it referred to the old.
 *
 * <p>The trace is <em>opaque</em> when the evaluator came by an object or a fact some other way (the text of a known
 * box folded into a string concatenation, say): such a specialization gives no template. {@link Value.Known} enforces it: a known object created
 * while a trace records must have been numbered first, by one of the methods here.
 *
 * <p>Objects whose identity cannot be replaced — constants of the code (strings, classes), method handles the
 * evaluator looked up, results of folded calls, and every {@code String}, whose text residual code may embed — are
 * <em>fixed</em>: a replay must find the very same object. Other objects are not kept by the trace, so a template
 * does not keep the heap it was made from alive.
 */
final class HeapTrace {
  /** The trace of the specialization running on this thread, if any. */
  private static final ThreadLocal<HeapTrace> RECORDING = new ThreadLocal<>();

  /** An object named by number in an observation's inputs or result. */
  record Ref(int number) {
  }

  /** A fact drawn from the heap. */
  sealed interface Observation permits Read, Length, Element, Folded, Constant {
  }

  /**
   * {@code receiver.field} (receiver -1 for a static field) read through {@code getter}, or its assumed value.
   *
   * @param result the raw value the getter returned (a box for primitives), a {@link Ref}, or null
   */
  record Read(int receiver, Field field, MethodHandle getter, boolean assumed, Object result) implements Observation {
  }

  /** The length of array {@code array}. */
  record Length(int array, int length) implements Observation {
  }

  /** Element {@code index} of array {@code array}: the raw value, a {@link Ref} or null. */
  record Element(int array, int index, Object result) implements Observation {
  }

  /**
   * A call folded to its result by {@link CallSpecializer#foldResult}: its arguments and its result (raw values,
   * {@link Ref}s or null). A call left residual is not recorded: residual code is right whatever the heap holds.
   */
  record Folded(MethodInsnNode call, ResolvedMethod resolved, boolean hasReceiver, Object[] arguments, Object result)
      implements Observation {
  }

  /** Fixed object {@code number} entered the evaluation (a constant of the code, a method handle looked up). */
  record Constant(int number) implements Observation {
  }

  /** A trace that records nothing: for a request that keeps no template. */
  static final HeapTrace OFF = new HeapTrace(false);

  /** Whether this trace records (false for {@link #OFF}). */
  private final boolean on;
  /** The numbers of the objects seen; dropped by {@link #seal}, since a template must not keep the heap alive. */
  private Map<Object, Integer> numbers = new IdentityHashMap<>();
  /** The fixed objects by number (null for the others, which the trace does not keep). */
  private final List<Object> fixedObjects = new ArrayList<>();
  private final List<Class<?>> classes = new ArrayList<>();
  private final BitSet fixed = new BitSet();
  private final List<Observation> observations = new ArrayList<>();
  /**
   * The observations as an array once sealed: {@link #replay}'s loop runs as cold code (a version manager replays a
   * template a few times per run of its program), where each call to a list's accessor is an interpreted call.
   */
  private Observation[] replayed;
  /**
   * Reads, lengths and elements already recorded, by what they read: evaluation reads the same field of the same
   * object again and again (each inlining trial walks the list anew), and one check of each is what a replay needs;
   * a second read that saw another value is recorded too.
   */
  private Map<Observation, Boolean> recorded = new java.util.HashMap<>();
  /** Why no template can be made of this specialization, or null. */
  private String opaque;

  /** A trace that records. */
  HeapTrace() {
    this(true);
  }

  private HeapTrace(final boolean on) {
    this.on = on;
  }

  /** Whether observations are still worth recording: the trace records and is not opaque. */
  private boolean recording() {
    return on && opaque == null;
  }

  /**
   * Drops what only recording needed (the objects' numbers, the recorded set): the trace of a template keeps no
   * object of the heap it was made from but its fixed objects.
   */
  void seal() {
    numbers = null;
    recorded = null;
    replayed = observations.toArray(new Observation[0]);
  }

  /** Starts recording on this thread; returns the trace recording before, to give back to {@link #stop}. */
  HeapTrace start() {
    final HeapTrace before = RECORDING.get();
    RECORDING.set(this);
    return before;
  }

  /** Stops recording on this thread, giving it back to {@code before}. */
  static void stop(final HeapTrace before) {
    if (before == null) {
      RECORDING.remove();
    } else {
      RECORDING.set(before);
    }
  }

  /** Called for every known object created: one not numbered makes the recording trace opaque. */
  static void created(final Object o) {
    final HeapTrace t = RECORDING.get();
    if (t != null && t.recording() && !t.numbers.containsKey(o)) {
      t.opaque = "the evaluator made a known " + o.getClass().getName() + " from known parts";
    }
  }

  /** Makes the recording trace, if any, opaque for {@code reason}. */
  static void opaque(final String reason) {
    final HeapTrace t = RECORDING.get();
    if (t != null && t.opaque == null) {
      t.opaque = reason;
    }
  }

  /** Why no template can be made, or null. */
  String opaqueReason() {
    return opaque;
  }

  /** The number of a request's known object (numbered in argument order, before any evaluation). */
  int key(final Object o) {
    return on ? number(o, false) : -1;
  }

  /** Records that fixed object {@code o} entered the evaluation. */
  void constant(final Object o) {
    if (recording()) {
      observations.add(new Constant(number(o, true)));
    }
  }

  /** Records a field read of {@code receiver} (null for a static field) that gave {@code value}. */
  void read(final Object receiver, final Field field, final MethodHandle getter, final boolean assumed,
      final Object value) {
    if (!recording()) {
      return;
    }
    final int r = receiver == null ? -1 : numberOf(receiver);
    if (r == -2) {
      return;
    }
    add(new Read(r, field, getter, assumed, encode(value, field.getType().isPrimitive(), false)));
  }

  /** Records the length of known array {@code array}. */
  void length(final Object array, final int length) {
    if (!recording()) {
      return;
    }
    final int a = numberOf(array);
    if (a != -2) {
      add(new Length(a, length));
    }
  }

  /** Records element {@code index} of known array {@code array}. */
  void element(final Object array, final int index, final Object value) {
    if (!recording()) {
      return;
    }
    final int a = numberOf(array);
    if (a != -2) {
      add(new Element(a, index, encode(value, array.getClass().getComponentType().isPrimitive(), false)));
    }
  }

  /** Records a call {@link CallSpecializer#foldResult} folded to {@code result}. */
  void folded(final MethodInsnNode call, final ResolvedMethod resolved, final boolean hasReceiver,
      final Object[] arguments, final Object result) {
    if (!recording()) {
      return;
    }
    final Type[] types = Type.getArgumentTypes(call.desc);
    final Object[] encoded = new Object[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      final boolean primitive = !(hasReceiver && i == 0) && types[hasReceiver ? i - 1 : i].getSort() < Type.ARRAY;
      encoded[i] = encode(arguments[i], primitive, false);
    }
    final boolean primitiveResult = Type.getReturnType(call.desc).getSort() < Type.ARRAY;
    observations.add(new Folded(call, resolved, hasReceiver, encoded, encode(result, primitiveResult, true)));
  }

  private void add(final Observation o) {
    if (recorded.putIfAbsent(o, Boolean.TRUE) == null) {
      observations.add(o);
    }
  }

  /** The number of an object the trace numbered, or -2 (and the trace turns opaque). */
  private int numberOf(final Object o) {
    final Integer n = numbers.get(o);
    if (n == null) {
      opaque = opaque != null ? opaque : "the evaluator read an object of class " + o.getClass().getName()
          + " it came by without a trace";
      return -2;
    }
    return n;
  }

  /**
   * The encoding of a value: itself if primitive (or null), else a {@link Ref}, numbering a new object (fixed, when
   * {@code fixedIfNew}: an object a folded call made); an object numbered already keeps its binding rule.
   */
  private Object encode(final Object value, final boolean primitive, final boolean fixedIfNew) {
    return primitive || value == null ? value : new Ref(number(value, fixedIfNew && !numbers.containsKey(value)));
  }

  private int number(final Object o, final boolean fix) {
    Integer n = numbers.get(o);
    if (n == null) {
      n = classes.size();
      numbers.put(o, n);
      classes.add(o.getClass());
      fixedObjects.add(null);
    }
    if (fix || o instanceof String) {
      fixed.set(n);
      fixedObjects.set(n, o);
    }
    return n;
  }

  /** The number of an object of the finished trace, or -1 if it has none. */
  int numberIfAny(final Object o) {
    final Integer n = numbers.get(o);
    return n == null ? -1 : n;
  }

  /** How many objects were numbered. */
  int objects() {
    return classes.size();
  }

  /** Encodes {@code value} for a template: primitive boxes and null as they are, objects as {@link Ref}, or -1's. */
  Object encodeFinished(final Object value, final boolean primitive) {
    if (primitive || value == null) {
      return value;
    }
    final int n = numberIfAny(value);
    return n < 0 ? null : new Ref(n);
  }

  /**
   * Replays the observations on new objects: binds the request's known objects to their numbers ({@code keys[i]} is
   * argument i's number, or -1), then checks every observation in order.
   *
   * @return the new object of each number, or null when some observation differs
   */
  Object[] replay(final int[] keys, final Object[] values, final FieldAssumptions assumptions,
      final ClassRepository repository) {
    final Object[] bound = new Object[classes.size()];
    final Map<Object, Integer> reverse = new IdentityHashMap<>(classes.size());
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] >= 0 && !bind(bound, reverse, keys[i], values[i])) {
        return null;
      }
    }
    final Observation[] all = replayed != null ? replayed : observations.toArray(new Observation[0]);
    for (int i = 0; i < all.length; i++) {
      if (!replay(all[i], bound, reverse, assumptions, repository)) {
        return null;
      }
    }
    return bound;
  }

  private boolean replay(final Observation o, final Object[] bound, final Map<Object, Integer> reverse,
      final FieldAssumptions assumptions, final ClassRepository repository) {
    if (o instanceof Read r) {
      final Object receiver = r.receiver < 0 ? null : bound[r.receiver];
      final FieldAssumptions.Assumption a = receiver == null ? null : assumptions.find(receiver, r.field);
      if (r.assumed != (a != null)) {
        return false;
      }
      final Object value;
      try {
        value = r.assumed ? a.value() : receiver == null ? r.getter.invoke() : r.getter.invoke(receiver);
      } catch (Throwable t) {
        // DontCheck(IllegalCatch): the getter read this field before; a failure now is a difference.
        return false;
      }
      return same(r.result, value, bound, reverse);
    }
    if (o instanceof Length l) {
      return Array.getLength(bound[l.array]) == l.length;
    }
    if (o instanceof Element e) {
      final Object array = bound[e.array];
      return e.index < Array.getLength(array) && same(e.result, Array.get(array, e.index), bound, reverse);
    }
    if (o instanceof Folded c) {
      final Object[] arguments = new Object[c.arguments.length];
      for (int i = 0; i < arguments.length; i++) {
        arguments[i] = c.arguments[i] instanceof Ref ref ? bound[ref.number] : c.arguments[i];
      }
      final Optional<Object> result = CallSpecializer.foldResult(repository, c.call, c.resolved, arguments,
          c.hasReceiver);
      return result.isPresent() && same(c.result, result.get(), bound, reverse);
    }
    final Constant k = (Constant) o;
    return bind(bound, reverse, k.number, fixedObjects.get(k.number));
  }

  /** Whether a new value matches a recorded one, binding a new object to the recorded number. */
  private boolean same(final Object recorded, final Object value, final Object[] bound,
      final Map<Object, Integer> reverse) {
    if (recorded instanceof Ref ref) {
      return bind(bound, reverse, ref.number, value);
    }
    return recorded == null ? value == null : recorded.equals(value);
  }

  private boolean bind(final Object[] bound, final Map<Object, Integer> reverse, final int n, final Object o) {
    if (bound[n] != null) {
      return bound[n] == o;
    }
    if (o == null || o.getClass() != classes.get(n) || fixed.get(n) && o != fixedObjects.get(n)) {
      return false;
    }
    if (reverse.putIfAbsent(o, n) != null) {
      return false;
    }
    bound[n] = o;
    return true;
  }
}
