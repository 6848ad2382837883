package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.internal.Value.Kind;
import org.quasi.specializer.internal.Value.Known;

/**
 * Folds reads of the live heap and residualizes writes. A field read folds when its object is known and not null
 * (or the field is static and its class proven initialized) and the field is {@code final} (unless turned off) or
 * declared quasi-invariant and not killed by an earlier residual write on this path; an array element read folds when
 * the array was reached through a quasi-invariant field, the index is known and in bounds, and no array store or
 * opaque call came before. Every folded read is recorded as a {@link Dependency}.
 *
 * <p>A read of a field the request assumes ({@link FieldAssumptions}) on that very object folds to the assumed
 * value, records no dependency, and dies like a quasi-invariant at a residual write or opaque call, and also at any
 * volatile read.
 *
 * <p>The live heap is only ever read, through getters obtained from the caller's lookup (so nothing is read that the
 * caller could not read itself), and never written.
 */
final class HeapReader {
  private static final Map<LabelNode, LabelNode> NO_LABELS = Collections.emptyMap();
  /**
   * Getters per field, shared by all specializations; a missing entry means the lookup may not read it. Kept per
   * declaring class in a {@link ClassValue}, so that they do not keep the class and its loader alive.
   */
  private static final ClassValue<Map<Field, MethodHandle>> GETTERS = new ClassValue<>() {
    @Override
    protected Map<Field, MethodHandle> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private final PartialEvaluator ev;

  HeapReader(final PartialEvaluator ev) {
    this.ev = ev;
  }

  void read(final State s, final Frame f, final FieldInsnNode insn) {
    final boolean isStatic = insn.getOpcode() == org.objectweb.asm.Opcodes.GETSTATIC;
    final Value object = isStatic ? null : f.pop();
    final Kind kind = Kind.of(Type.getType(insn.desc));
    final Value virtual = object instanceof Virtual v ? ev.virtuals.getField(f, v, insn) : null;
    if (virtual != null) {
      f.push(virtual);
      return;
    }
    final Known folded = fold(s, f, insn, object, isStatic, kind);
    if (!ev.session.assumptions.isEmpty()) {
      final Class<?> owner = ev.session.repository.classFor(insn.owner, f.method.declaringClass);
      final Field field = owner == null ? null : ev.session.repository.resolveField(owner, insn.name);
      if (field == null || Modifier.isVolatile(field.getModifiers())) {
        // A volatile read is an acquire: later reads may not use the dispatcher's earlier read (FieldAssumptions).
        s.kills = ev.session.assumptions.killAll(s.kills);
      }
    }
    if (folded != null) {
      f.push(folded);
      return;
    }
    final MethodHandle getter = protectedGetter(f, insn, isStatic);
    if (getter != null) {
      // The lookup's handle is a known object of the class data; it throws the original's NullPointerException.
      ev.session.trace.constant(getter);
      f.push(ev.emit(new org.objectweb.asm.tree.MethodInsnNode(org.objectweb.asm.Opcodes.INVOKEVIRTUAL,
          "java/lang/invoke/MethodHandle", "invokeExact", getter.type().toMethodDescriptorString(), false),
          isStatic ? new Value[] {ev.known(new Known(Kind.REF, getter, false))}
              : new Value[] {ev.known(new Known(Kind.REF, getter, false)), object}, kind));
      return;
    }
    f.push(ev.emit(insn.clone(NO_LABELS), isStatic ? new Value[0] : new Value[] {object}, kind));
  }

  /**
   * For a read of a protected field the lookup class inherits from another package, in the lookup class's own code
   * (the only place {@link CalleeScreen} lets one through), the lookup's getter handle: the lookup class's own right
   * to the read, whose receiver the lookup narrows to the lookup class, as the verifier already required of the
   * original's receiver. Null for any other read, which the hidden class makes itself.
   *
   * @throws Declined when the lookup cannot make the handle
   */
  private MethodHandle protectedGetter(final Frame f, final FieldInsnNode insn, final boolean isStatic) {
    final Class<?> context = f.method.declaringClass;
    if (context != ev.session.access.lookupClass()) {
      // Elsewhere the screen refused such a read before evaluation reached it: nothing to look up on this hot path.
      return null;
    }
    final Class<?> owner = ev.session.repository.classFor(insn.owner, context);
    final Field field = owner == null ? null : ev.session.repository.resolveField(owner, insn.name);
    if (field == null || ev.session.access.memberAccessible(owner, field.getDeclaringClass(), field.getModifiers())
        || !ev.session.screen.inheritedProtected(context, owner, field)) {
      return null;
    }
    try {
      final MethodHandle h = isStatic ? ev.session.lookup.findStaticGetter(owner, insn.name, field.getType())
          : ev.session.lookup.findGetter(owner, insn.name, field.getType());
      if (isStatic || h.type().parameterType(0) == context) {
        return h;
      }
    } catch (NoSuchFieldException | IllegalAccessException e) {
      // Declined below.
    }
    throw new Declined(f.method, f.pc, "the read of " + field.getDeclaringClass().getName() + "." + insn.name
        + ", protected in another package, cannot be made through the lookup's handle");
  }

  /**
   * Folds a call of {@code getter} on the known, non-null {@code receiver} when the getter's whole body is
   * {@code aload_0; getfield F; xreturn} and the read of F on the receiver folds (an assumed, quasi-invariant or final
   * field): the call has no other effect. Returns null otherwise. The getter need not be accessible, nor F: its
   * value is known, and no instruction of the getter is emitted (a superclass's getter of its private field, say).
   */
  Known foldGetter(final State s, final MethodFacts getter, final Known receiver) {
    final java.util.List<AbstractInsnNode> body = new java.util.ArrayList<>(3);
    for (final AbstractInsnNode insn : getter.insns) {
      if (insn.getOpcode() >= 0) {
        if (body.size() == 3) {
          return null;
        }
        body.add(insn);
      }
    }
    if (body.size() != 3 || !(body.get(0) instanceof org.objectweb.asm.tree.VarInsnNode load)
        || load.getOpcode() != org.objectweb.asm.Opcodes.ALOAD || load.var != 0
        || !(body.get(1) instanceof FieldInsnNode read) || read.getOpcode() != org.objectweb.asm.Opcodes.GETFIELD
        || body.get(2).getOpcode() < org.objectweb.asm.Opcodes.IRETURN
        || body.get(2).getOpcode() > org.objectweb.asm.Opcodes.ARETURN) {
      return null;
    }
    final Class<?> owner = ev.session.repository.classFor(read.owner, getter.declaringClass);
    final Field field = owner == null ? null : ev.session.repository.resolveField(owner, read.name);
    if (field == null || Modifier.isVolatile(field.getModifiers())) {
      // A volatile read is an acquire: it stays a read (and kills the assumptions, as read() does).
      return null;
    }
    return fold(s, getter.declaringClass, read, receiver, false, Kind.of(Type.getType(read.desc)));
  }

  private Known fold(final State s, final Frame f, final FieldInsnNode insn, final Value object,
      final boolean isStatic, final Kind kind) {
    return fold(s, f.method.declaringClass, insn, object, isStatic, kind);
  }

  private Known fold(final State s, final Class<?> context, final FieldInsnNode insn, final Value object,
      final boolean isStatic, final Kind kind) {
    if (!isStatic && !(object instanceof Known k && k.value() != null)) {
      return null;
    }
    final Class<?> owner = ev.session.repository.classFor(insn.owner, context);
    final Field field = owner == null ? null : ev.session.repository.resolveField(owner, insn.name);
    if (field == null || Modifier.isStatic(field.getModifiers()) != isStatic) {
      return null;
    }
    final FieldAssumptions.Assumption assumed = isStatic ? null
        : ev.session.assumptions.find(((Known) object).value(), field);
    if (assumed != null && !s.kills.fieldKilled(field)) {
      // The caller read this field once and compares it: use that read, with no dependency (FieldAssumptions).
      ev.counters.heapReads++;
      ev.counters.objectFolds++;
      ev.session.trace.read(((Known) object).value(), field, null, true, assumed.value());
      return ev.known(box(kind, assumed.value(), false));
    }
    final boolean quasiInvariant = ev.session.quasiInvariants.contains(field);
    final boolean invariant = Modifier.isFinal(field.getModifiers()) && ev.session.foldFinals;
    if (!invariant && !(quasiInvariant && !s.kills.fieldKilled(field))) {
      return null;
    }
    final boolean switchMap = isStatic && invariant && SwitchMaps.isSwitchMap(ev.session.repository, field);
    if (isStatic && !ev.initialized(field.getDeclaringClass())
        && !(switchMap && SwitchMaps.ensureInitialized(ev, field))) {
      return null;
    }
    final Object receiver = isStatic ? null : ((Known) object).value();
    final Object value;
    final MethodHandle getter = getter(field);
    if (getter == null) {
      return null;
    }
    try {
      value = isStatic ? getter.invoke() : getter.invoke(receiver);
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a getter of a field the lookup may read does not throw; if it ever does, the
      // read simply stays residual.
      return null;
    }
    ev.session.trace.read(receiver, field, getter, false, value);
    ev.counters.heapReads++;
    ev.counters.objectFolds += isStatic ? 0 : 1;
    ev.session.dependencies.add(new Dependency(invariant ? Dependency.Kind.FINAL_FIELD
        : Dependency.Kind.QUASI_INVARIANT_FIELD, receiver, field.getDeclaringClass(), field.getName(), -1,
        value));
    InliningPolicy.noteDependency(ev.session, invariant ? Dependency.Kind.FINAL_FIELD
        : Dependency.Kind.QUASI_INVARIANT_FIELD);
    final boolean elements = quasiInvariant && field.getType().isArray() || switchMap && value != null;
    if (switchMap && value != null) {
      ev.session.switchMaps.add(value);
    }
    return ev.known(box(kind, value, elements));
  }

  private MethodHandle getter(final Field field) {
    MethodHandle cached = GETTERS.get(field.getDeclaringClass()).get(field);
    if (cached == null) {
      cached = ev.session.access.getters.get(field);
    }
    if (cached != null) {
      return cached;
    }
    if (!ev.session.access.memberAccessible(field.getDeclaringClass(), field.getDeclaringClass(),
        field.getModifiers())) {
      return null;
    }
    try {
      final MethodHandle mh = ev.session.lookup.unreflectGetter(field);
      // Cached across lookups only for public members of public classes, which every lookup may read.
      if (Modifier.isPublic(field.getModifiers()) && Modifier.isPublic(field.getDeclaringClass().getModifiers())) {
        GETTERS.get(field.getDeclaringClass()).put(field, mh);
      } else {
        ev.session.access.getters.put(field, mh);
      }
      return mh;
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  /** Returns the folded element {@code index} of known array {@code array}, or null when it must stay residual. */
  Known element(final State s, final Known array, final int index, final Kind kind) {
    final Object a = array.value();
    // A switch map is written by no compiled code but its holder's initializer (SwitchMaps): kills do not apply.
    if (a == null || !array.elementsFoldable() || s.kills.arraysKilled() && !ev.session.switchMaps.contains(a)
        || index < 0
        || index >= Array.getLength(a)) {
      return null;
    }
    final Object value = Array.get(a, index);
    ev.session.trace.element(a, index, value);
    ev.counters.heapReads++;
    ev.counters.objectFolds++;
    ev.session.dependencies.add(new Dependency(Dependency.Kind.ARRAY_ELEMENT, a, a.getClass(), null, index, value));
    InliningPolicy.noteDependency(ev.session, Dependency.Kind.ARRAY_ELEMENT);
    // Arrays nested in a quasi-invariant array are part of the same quasi-invariant structure.
    return ev.known(box(kind, value, value != null && value.getClass().isArray()));
  }

  void write(final State s, final Frame f, final FieldInsnNode insn) {
    final boolean isStatic = insn.getOpcode() == org.objectweb.asm.Opcodes.PUTSTATIC;
    ev.emit(insn.clone(NO_LABELS), f.pop(isStatic ? 1 : 2), Kind.NONE);
    final Class<?> owner = ev.session.repository.classFor(insn.owner, f.method.declaringClass);
    final Field field = owner == null ? null : ev.session.repository.resolveField(owner, insn.name);
    s.kills = field == null ? s.kills.killAll()
        : s.kills.killField(Type.getInternalName(field.getDeclaringClass()), field.getName());
  }

  /** Converts a value read reflectively to the evaluator's representation of its computational kind. */
  static Known box(final Kind kind, final Object value, final boolean elementsFoldable) {
    return switch (kind) {
      case INT -> Known.ofInt(value instanceof Boolean b ? (b ? 1 : 0)
          : value instanceof Character c ? c : ((Number) value).intValue());
      case LONG -> Known.ofLong((Long) value);
      case FLOAT -> Known.ofFloat((Float) value);
      case DOUBLE -> Known.ofDouble((Double) value);
      default -> value == null ? Known.NULL : new Known(Kind.REF, value, elementsFoldable);
    };
  }
}
