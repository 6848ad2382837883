package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.quasi.specializer.internal.ClassRepository.ResolvedMethod;
import org.quasi.specializer.internal.Value.Kind;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Uninit;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Specializes calls and allocations. A call whose target is known — static, private, super, final, or virtual and
 * interface calls on a receiver whose class is known — is specialized in place: the callee becomes a new abstract
 * frame and its body is specialized in the caller's residual code, within the call-depth budget. Pure JDK methods on
 * known arguments are run now ({@link Purity}). Every other call is left residual with its known arguments as
 * constants; a residual call to code the specializer cannot see kills quasi-invariant knowledge, since it may write
 * anything.
 *
 * <p>Class initialization is kept where the original had it: a static callee or allocated class not proven
 * initialized gets a residual {@code new C; pop} at the original point, which initializes C exactly as the original
 * instruction would.
 *
 * <p>JDK methods (classes of the bootstrap and platform loaders) are called, not inlined, unless the request's
 * {@link org.quasi.specializer.JdkPolicy} names their package (its javadoc says why). Pure ones still fold on known
 * arguments.
 *
 * <p>Beyond the call-depth budget, a call with a known target is specialized into a separate private static method
 * of the hidden class, memoized per callee, known-argument pattern and killed heap knowledge: recursion with unknown
 * control becomes recursion between specialized methods. Their number is bounded ({@link #MAX_METHODS}); past it,
 * a callee gets one generic specialization (all arguments unknown).
 */
final class CallSpecializer {
  private final PartialEvaluator ev;

  CallSpecializer(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /** Specializes a call instruction; always continues the block. */
  boolean invoke(final State s, final Frame f, final MethodInsnNode m) {
    final int op = m.getOpcode();
    final boolean hasReceiver = op != INVOKESTATIC;
    final Value[] args = f.pop(Type.getArgumentTypes(m.desc).length + (hasReceiver ? 1 : 0));
    if (m.name.equals("<init>")) {
      construct(s, f, m, args);
      f.pc++;
      return true;
    }
    final Value boxing = ev.virtuals.box(m, args);
    final Value virtual = boxing != null ? boxing : ev.virtuals.unbox(m, args);
    if (virtual != null) {
      f.push(virtual);
      f.pc++;
      return true;
    }
    final MethodInsnNode implementation = ev.lambdas.redirect(f, m, args);
    if (implementation != null) {
      return invoke(s, f, implementation);
    }
    final ClassRepository repository = ev.session.repository;
    final Class<?> owner = repository.classFor(m.owner, f.method.declaringClass);
    final ResolvedMethod resolved = owner == null ? null : repository.resolve(owner, m.name, m.desc);
    if (resolved != null && fold(f, m, resolved, args, hasReceiver)) {
      f.pc++;
      return true;
    }
    ResolvedMethod target = null;
    boolean superCall = false;
    if (resolved != null) {
      switch (op) {
        case INVOKESTATIC -> target = resolved.isStatic() ? resolved : null;
        case INVOKESPECIAL -> {
          target = resolved;
          superCall = !Modifier.isPrivate(resolved.modifiers());
        }
        default -> {
          if (args[0] instanceof Known k && k.value() != null) {
            target = repository.select(k.value().getClass(), resolved);
          } else if (args[0] instanceof Virtual v) {
            target = repository.select(v.type, resolved);
          } else if (!resolved.isAbstract() && (Modifier.isPrivate(resolved.modifiers())
              || Modifier.isFinal(resolved.modifiers())
              || Modifier.isFinal(resolved.declaring().getModifiers()))) {
            target = resolved;
          }
        }
      }
    }
    if (target != null && !target.isStatic() && args[0] instanceof Known receiver && receiver.value() != null
        && CalleeScreen.modifierProblem(target.modifiers()) == null) {
      final MethodFacts getter = repository.facts(target.declaring(), target.name(), target.desc(),
          ev.session.screen);
      final Known read = getter == null ? null : ev.heap.foldGetter(s, getter, receiver);
      if (read != null) {
        f.push(read);
        f.pc++;
        ev.counters.callsFolded++;
        return true;
      }
    }
    if (target != null && !superCall && !worthSpecializing(target, args)) {
      target = null;
    }
    if (target != null && (superCall || specializesInto(target) && !ev.exhausted)) {
      final InliningPolicy.Decision d = superCall ? InliningPolicy.Decision.INLINE
          : ev.inlining.decide(s, target, args);
      if (d == InliningPolicy.Decision.INLINE
          && (inline(s, f, target, args, superCall) || specializeApart(s, f, target, args))) {
        return true;
      }
    }
    if (superCall) {
      if (owner != null && residualSuperCall(s, f, m, owner, resolved, args)) {
        f.pc++;
        return true;
      }
      throw new Declined(f.method, f.pc, "the super call to " + m.owner + "." + m.name + m.desc
          + " cannot be specialized in place, and a hidden class cannot make it");
    }
    if (m.getOpcode() == INVOKEVIRTUAL && owner != null && inheritedProtected(owner, resolved)) {
      if (!residualProtectedCall(s, f, m, owner, resolved, args)) {
        throw new Declined(f.method, f.pc, "the call to " + m.owner + "." + m.name + m.desc + ", protected in"
            + " another package, cannot be specialized in place, and a hidden class cannot make it");
      }
      f.pc++;
      return true;
    }
    residualCall(s, f, m, owner, resolved, args);
    f.pc++;
    return true;
  }

  /** Callees up to this many real instructions are inlined even when nothing about their arguments is known. */
  static final int SMALL_CALLEE = 16;

  /**
   * Returns whether specializing a call to {@code target} can pay: some argument (or the receiver) is known, or the
   * callee is small enough that inlining costs nothing. A larger callee with only unknown arguments stays a residual
   * call: its specialized copy would be as generic as the original and only make the residual code bigger.
   *
   * @implNote A callee that reads quasi-invariant static fields still folds them when it is inlined; with only
   *     unknown arguments it now is only if small. Declaring its arguments known, or calling it from a small wrapper,
   *     brings the folding back.
   */
  private boolean worthSpecializing(final ResolvedMethod target, final Value[] args) {
    for (final Value v : args) {
      if (v instanceof Known || v instanceof Virtual) {
        return true;
      }
    }
    if (CalleeScreen.modifierProblem(target.modifiers()) != null) {
      return false;
    }
    final MethodFacts callee = ev.session.repository.facts(target.declaring(), target.name(), target.desc(),
        ev.session.screen);
    return callee != null && (callee.insns.length <= SMALL_CALLEE || readsStatics(callee));
  }

  /** Whether the callee reads a static field (a quasi-invariant or static final it could fold when inlined). */
  private static boolean readsStatics(final MethodFacts callee) {
    for (final AbstractInsnNode insn : callee.insns) {
      if (insn.getOpcode() == GETSTATIC) {
        return true;
      }
    }
    return false;
  }

  private boolean fold(final Frame f, final MethodInsnNode m, final ResolvedMethod resolved, final Value[] args,
      final boolean hasReceiver) {
    final Type[] types = Type.getArgumentTypes(m.desc);
    final Object[] values = new Object[args.length];
    for (int i = 0; i < args.length; i++) {
      if (!(args[i] instanceof Known k)) {
        return false;
      }
      final Type t = hasReceiver ? (i == 0 ? Type.getType(Object.class) : types[i - 1]) : types[i];
      values[i] = convert(k, t);
    }
    if (hasReceiver && values[0] == null) {
      return false;
    }
    final Optional<Object> result = foldResult(ev.session.repository, m, resolved, values, hasReceiver);
    if (result.isEmpty()) {
      return false;
    }
    ev.session.trace.folded(m, resolved, hasReceiver, values, result.get());
    // A call that returned its known argument (Objects.requireNonNull) yields that argument itself, with what is
    // known of its elements; any other result is a new known value.
    f.push(!hasReceiver && args.length > 0 && args[0] instanceof Known k && k.kind() == Kind.REF
        && k.value() == result.get() ? k : HeapReader.box(Kind.of(Type.getReturnType(m.desc)), result.get(), false));
    ev.counters.callsFolded++;
    return true;
  }

  /**
   * The result of call {@code m} on known arguments {@code values} (receiver first, not null), or empty when it is
   * not folded: a pure method runs, a shared box is looked up. A function of the arguments and their classes alone,
   * which a {@link HeapTrace} replays.
   */
  static Optional<Object> foldResult(final ClassRepository repository, final MethodInsnNode m,
      final ResolvedMethod resolved, final Object[] values, final boolean hasReceiver) {
    // A virtual or interface call on a known receiver runs the method its class selects (CharSequence.length on a
    // String is String.length): that method's purity decides.
    final ResolvedMethod selected = hasReceiver && m.getOpcode() != INVOKESPECIAL
        ? repository.select(values[0].getClass(), resolved) : resolved;
    final ResolvedMethod actual = selected != null ? selected : resolved;
    if (!hasReceiver && values.length > 0 && values[0] != null
        && Purity.returnsNonNullArgument(Type.getInternalName(resolved.declaring()), m.name, m.desc)) {
      return Optional.of(values[0]);
    }
    return Purity.foldable(Type.getInternalName(actual.declaring()), m.name, m.desc, values, hasReceiver)
        ? Purity.run(actual.declaring(), m.name, m.desc, actual.isStatic(), values)
        : hasReceiver ? Optional.empty() : Boxes.shared(resolved.declaring(), m.name, m.desc, values);
  }

  /** Converts an evaluator value to the Java object a reflective call with parameter type {@code t} expects. */
  private static Object convert(final Known k, final Type t) {
    return switch (t.getSort()) {
      case Type.BOOLEAN -> k.asInt() != 0;
      case Type.BYTE -> (byte) k.asInt();
      case Type.CHAR -> (char) k.asInt();
      case Type.SHORT -> (short) k.asInt();
      default -> k.value();
    };
  }

  private boolean inline(final State s, final Frame f, final ResolvedMethod target, final Value[] args,
      final boolean superCall) {
    if (CalleeScreen.modifierProblem(target.modifiers()) != null
        || !specializesInto(target) && !superCall) {
      return false;
    }
    if (!superCall && (ev.exhausted || s.depth - 1 >= ev.budgets.callDepth())) {
      return false;
    }
    final MethodFacts callee = ev.session.repository.facts(target.declaring(), target.name(), target.desc(),
        ev.session.screen);
    // A callee refused for some instructions only is inlined when the inlining policy's trial reached none of them
    // (it decided INLINE after a whole trial); a super call is inlined without trial.
    if (callee == null || callee.refusal != null
        && (superCall || !callee.inlinableWhereUnrefused() || !ev.session.partialCallees)) {
      return false;
    }
    final java.util.List<Object> entryKey = Frame.entryKey(args);
    for (int d = 0; d < s.depth && !superCall; d++) {
      if (s.frames[d].method == callee && s.frames[d].entryKey.equals(entryKey)) {
        // Recursion that makes no progress on known data: inlining would copy the same code until the depth budget.
        return false;
      }
    }
    final boolean needsTrigger = target.isStatic() && !ev.initialized(target.declaring());
    if (needsTrigger && !ev.canTriggerInitialization(target.declaring())) {
      return false;
    }
    if (!target.isStatic()) {
      final Value receiver = args[0];
      if (receiver instanceof Known k && k.value() == null || receiver instanceof Uninit) {
        return false;
      }
      if (receiver instanceof Unknown) {
        // The call would have thrown NullPointerException on a null receiver: keep that check.
        ev.residual.push(receiver);
        ev.residual.add(new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "getClass",
            "()Ljava/lang/Class;", false));
        ev.residual.add(new InsnNode(POP));
      }
    }
    if (needsTrigger) {
      ev.triggerInitialization(target.declaring());
    }
    final Frame frame = Frame.enter(callee);
    frame.splitsAtEntry = s.splits;
    frame.entryKey = entryKey;
    int slot = 0;
    for (final Value arg : args) {
      frame.store(slot, arg);
      slot += arg.category();
    }
    s.pushFrame(frame);
    ev.counters.callsInlined++;
    ev.counters.inlinedInstructions += callee.insns.length;
    return true;
  }

  /**
   * Whether {@code target} may be specialized into: the JDK policy lets the specializer into its class, and its
   * bytecode computes what a call of it computes ({@link Purity#notItsBytecode}: not so for {@code Math.pow}, which
   * the JVM runs as an intrinsic).
   */
  private boolean specializesInto(final ResolvedMethod target) {
    return ev.session.jdkPolicy.specializesInto(target.declaring())
        && Purity.notItsBytecode(target.declaring(), target.name()) == null;
  }

  /** Specialized residual methods per request, beyond which callees are specialized with all arguments unknown. */
  static final int MAX_METHODS = 24;

  /**
   * Calls {@code target} through a specialized residual method of the hidden class, creating it on first use.
   * Returns false when the target cannot be specialized apart (then the call stays an ordinary residual call).
   */
  private boolean specializeApart(final State s, final Frame f, final ResolvedMethod target, final Value[] args) {
    if (ev.exhausted || !specializesInto(target)
        || CalleeScreen.modifierProblem(target.modifiers()) != null || !ev.session.access.classAccessible(target.declaring())) {
      return false;
    }
    final MethodFacts callee = ev.session.repository.facts(target.declaring(), target.name(), target.desc(),
        ev.session.screen);
    if (callee == null || callee.refusal != null) {
      return false;
    }
    final boolean needsTrigger = target.isStatic() && !ev.initialized(target.declaring());
    if (needsTrigger && !ev.canTriggerInitialization(target.declaring())) {
      return false;
    }
    final Value receiver = target.isStatic() ? null : args[0];
    if (receiver instanceof Known k && k.value() == null || receiver instanceof Uninit) {
      return false;
    }
    final Type[] parameters = Type.getArgumentTypes(target.desc());
    final Type[] types = new Type[args.length];
    for (int i = 0; i < args.length; i++) {
      types[i] = target.isStatic() ? parameters[i] : i == 0 ? Type.getType(target.declaring()) : parameters[i - 1];
    }
    // The key: callee, each argument known (by identity or value) or unknown (by kind), and the killed knowledge.
    final boolean generic = ev.session.specializedMethods.size() >= MAX_METHODS;
    final List<Object> key = key(callee, args, generic, s.kills);
    String name = ev.session.specializedMethods.get(key);
    if (receiver instanceof Unknown) {
      ev.residual.push(receiver);
      ev.residual.add(new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;",
          false));
      ev.residual.add(new InsnNode(POP));
    }
    if (needsTrigger) {
      ev.triggerInitialization(target.declaring());
    }
    final List<Type> unknownTypes = new ArrayList<>();
    final List<Value> unknownArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (generic || !(args[i] instanceof Known)) {
        unknownTypes.add(types[i]);
        unknownArgs.add(args[i]);
      }
    }
    final Type returnType = Type.getReturnType(target.desc());
    final String desc = Type.getMethodDescriptor(returnType, unknownTypes.toArray(new Type[0]));
    if (name == null) {
      name = HiddenClassAssembler.METHOD + "$" + ev.session.specializedMethods.size();
      ev.session.specializedMethods.put(key, name);
      specializeMethod(callee, name, desc, args, types, generic, generic ? HeapKills.NONE.killAll() : s.kills);
    }
    final Value result = ev.emit(new MethodInsnNode(INVOKESTATIC, HiddenClassAssembler.className(
        ev.session.access.lookupClass()), name, desc, false), unknownArgs.toArray(new Value[0]),
        Kind.of(returnType));
    if (result != null) {
      f.push(result);
    }
    s.kills = s.kills.killAll();
    ev.counters.callsSpecialized++;
    f.pc++;
    return true;
  }

  private static List<Object> key(final MethodFacts callee, final Value[] args, final boolean generic,
      final HeapKills kills) {
    final List<Object> key = new ArrayList<>();
    key.add(callee);
    for (final Value a : args) {
      key.add(generic || !(a instanceof Known) ? a.kind() : a);
    }
    key.add(generic ? "generic" : kills);
    return key;
  }

  /** Runs a separate evaluator over the callee, with its unknown arguments as parameters, into a new method. */
  private void specializeMethod(final MethodFacts callee, final String name, final String desc, final Value[] args,
      final Type[] types, final boolean generic, final HeapKills kills) {
    int slots = 0;
    for (int i = 0; i < args.length; i++) {
      if (generic || !(args[i] instanceof Known)) {
        slots += types[i].getSize();
      }
    }
    final PartialEvaluator child = new PartialEvaluator(ev.session, ev.budgets, slots);
    final Frame frame = Frame.enter(callee);
    int slot = 0;
    int parameter = 0;
    for (int i = 0; i < args.length; i++) {
      final Value v;
      if (generic || !(args[i] instanceof Known)) {
        v = new Unknown(Kind.of(types[i]), parameter);
        parameter += types[i].getSize();
      } else {
        v = args[i];
      }
      frame.store(slot, v);
      slot += types[i].getSize();
    }
    final Value[] entry = new Value[args.length];
    for (int i = 0; i < args.length; i++) {
      entry[i] = generic || !(args[i] instanceof Known) ? new Unknown(Kind.of(types[i]), -1) : args[i];
    }
    frame.entryKey = Frame.entryKey(entry);
    child.run(new State(new Frame[] {frame, null, null, null}, 1, kills));
    ResidualCleanup.run(child.residual.code, child.residual.handlers, ev.session.repository,
        ev.session.access.lookupClass());
    LocalAllocator.run(child.residual.code, slots);
    Peephole.increments(child.residual.code);
    final MethodNode method = new MethodNode(ACC_PRIVATE | ACC_STATIC | ACC_SYNTHETIC, name, desc, null, null);
    method.instructions = child.residual.code;
    method.tryCatchBlocks.addAll(child.residual.handlers);
    ev.session.extraMethods.add(method);
  }

  private void residualCall(final State s, final Frame f, final MethodInsnNode m, final Class<?> owner,
      final ResolvedMethod resolved, final Value[] args) {
    int opcode = m.getOpcode();
    if (opcode == INVOKESPECIAL) {
      // A private method of a nestmate: the hidden class reaches it with a virtual or interface call.
      opcode = owner != null && owner.isInterface() ? INVOKEINTERFACE : INVOKEVIRTUAL;
    }
    final Value result = ev.emit(new MethodInsnNode(opcode, m.owner, m.name, m.desc, m.itf), args,
        Kind.of(Type.getReturnType(m.desc)));
    if (result != null) {
      f.push(result);
    }
    final String declaring = resolved != null ? Type.getInternalName(resolved.declaring()) : m.owner;
    kill(s, declaring, m.name, m.desc);
    ev.counters.callsResidual++;
  }

  /**
   * Leaves a super call residual through a method handle. A hidden class cannot execute {@code invokespecial} on an
   * inherited method, but the caller's lookup, which has private access to the calling class, may look the same
   * method up with {@code findSpecial}: the handle calls exactly the method the original's {@code invokespecial}
   * calls (no overriding), with the caller's own rights and no more.
   *
   * @return false when the lookup cannot make that handle (the super call is in a callee of another class)
   */
  private boolean residualSuperCall(final State s, final Frame f, final MethodInsnNode m, final Class<?> owner,
      final ResolvedMethod resolved, final Value[] args) {
    final Class<?> caller = f.method.declaringClass;
    try {
      return residualThroughHandle(s, f, m, resolved, args, ev.session.lookup.findSpecial(owner, m.name,
          java.lang.invoke.MethodType.fromMethodDescriptorString(m.desc, caller.getClassLoader()), caller));
    } catch (NoSuchMethodException | IllegalAccessException | TypeNotPresentException
        | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Whether {@code resolved} is a protected method of a superclass in another package, which the lookup class may
   * call on itself and its subclasses and its hidden residual class, no subclass, may not.
   */
  private boolean inheritedProtected(final Class<?> owner, final ResolvedMethod resolved) {
    // An array's clone is public (JLS 10.7), though it resolves to Object's.
    return resolved != null && !owner.isArray() && java.lang.reflect.Modifier.isProtected(resolved.modifiers())
        && !ev.session.access.memberAccessible(owner, resolved.declaring(), resolved.modifiers());
  }

  /**
   * Leaves a virtual call to an inherited protected method residual through the lookup's {@code findVirtual}
   * handle: the lookup class's own right to the call, whose receiver the handle narrows to the lookup class (the
   * verifier already required the original's receiver to be one, or an array for {@code Object.clone}), with the
   * same overriding.
   *
   * @return false when the lookup cannot make that handle
   */
  private boolean residualProtectedCall(final State s, final Frame f, final MethodInsnNode m, final Class<?> owner,
      final ResolvedMethod resolved, final Value[] args) {
    final Class<?> caller = f.method.declaringClass;
    try {
      return residualThroughHandle(s, f, m, resolved, args, ev.session.lookup.findVirtual(owner, m.name,
          java.lang.invoke.MethodType.fromMethodDescriptorString(m.desc, caller.getClassLoader())));
    } catch (NoSuchMethodException | IllegalAccessException | TypeNotPresentException
        | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Calls {@code handle}, whose receiver type is the calling class, on the call's arguments. The handle is a known
   * object of the class data; the receiver is null-checked first, where the original's call would throw (an
   * {@code Object.clone()} that may take an array goes through {@link ObjectClone#dispatch}, which checks it).
   *
   * @return false when the handle's receiver is not the calling class (a callee of another class)
   */
  private boolean residualThroughHandle(final State s, final Frame f, final MethodInsnNode m,
      final ResolvedMethod resolved, final Value[] args, final java.lang.invoke.MethodHandle handle) {
    final Class<?> caller = f.method.declaringClass;
    if (handle.type().parameterType(0) != caller) {
      return false;
    }
    // Object.clone() may also have an array receiver, which the dispatching handle takes as an Object.
    final boolean anyReceiver = ObjectClone.mayTakeAnArray(m);
    final java.lang.invoke.MethodHandle called = anyReceiver ? ObjectClone.dispatch(handle) : handle;
    final Type type = Type.getMethodType(m.desc);
    final Type[] parameters = new Type[type.getArgumentTypes().length + 1];
    parameters[0] = anyReceiver ? Type.getType(Object.class) : Type.getType(caller);
    System.arraycopy(type.getArgumentTypes(), 0, parameters, 1, parameters.length - 1);
    ev.session.trace.constant(called);
    ev.residual.push(ev.known(new Known(Kind.REF, called, false)));
    ev.residual.push(args[0]);
    if (!anyReceiver) {
      ev.residual.add(new InsnNode(DUP));
      ev.residual.add(new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;",
          false));
      ev.residual.add(new InsnNode(POP));
      ev.residual.add(new TypeInsnNode(CHECKCAST, Type.getInternalName(caller)));
    }
    for (int i = 1; i < args.length; i++) {
      ev.residual.push(args[i]);
    }
    ev.residual.add(new MethodInsnNode(INVOKEVIRTUAL, "java/lang/invoke/MethodHandle", "invokeExact",
        Type.getMethodDescriptor(type.getReturnType(), parameters), false));
    final Kind kind = Kind.of(type.getReturnType());
    if (kind != Kind.NONE) {
      f.push(ev.residual.storeResult(kind));
    }
    kill(s, Type.getInternalName(resolved.declaring()), m.name, m.desc);
    ev.counters.callsResidual++;
    return true;
  }

  private static void kill(final State s, final String owner, final String name, final String desc) {
    if (!Purity.writesNoUserHeap(owner, name, desc)) {
      s.kills = s.kills.killAll();
    } else if (Purity.writesArrays(desc)) {
      s.kills = s.kills.killArrays();
    }
  }

  private void construct(final State s, final Frame f, final MethodInsnNode m, final Value[] args) {
    if (!(args[0] instanceof Uninit u)) {
      throw new Declined(f.method, f.pc, "constructor chaining (this(...) or super(...)) is not handled");
    }
    if (ev.virtuals.construct(s, f, m, u, args)) {
      return;
    }
    ev.residual.add(new TypeInsnNode(NEW, u.type()));
    ev.residual.add(new InsnNode(DUP));
    for (int i = 1; i < args.length; i++) {
      ev.residual.push(args[i]);
    }
    ev.residual.add(new MethodInsnNode(INVOKESPECIAL, m.owner, m.name, m.desc, false));
    final Unknown object = ev.residual.storeResult(Kind.REF);
    s.replace(u, object);
    kill(s, m.owner, m.name, m.desc);
    ev.counters.callsResidual++;
  }

  /** Specializes {@code new}: the allocation itself is emitted with its constructor call. */
  void allocate(final State s, final Frame f, final TypeInsnNode insn) {
    final Class<?> c = ev.session.repository.classFor(insn.desc, f.method.declaringClass);
    if (c == null || !ev.initialized(c)) {
      // Initializes C, or throws its linkage error, where the original's new would have.
      ev.residual.add(new TypeInsnNode(NEW, insn.desc));
      ev.residual.add(new InsnNode(POP));
    }
    f.push(new Uninit(insn.desc, s.depth * 65_536 + f.pc));
  }


  /** Leaves an {@code invokedynamic} residual; lambdas and string concatenation of simple values write nothing. */
  void invokeDynamic(final State s, final Frame f, final AbstractInsnNode insn) {
    InvokeDynamicInsnNode d = (InvokeDynamicInsnNode) insn;
    Value[] args = f.pop(Type.getArgumentTypes(d.desc).length);
    if (StringConcat.applies(d)) {
      final StringConcat.Folded folded = StringConcat.fold(d, args);
      d = folded.insn();
      args = folded.arguments();
      if (folded.allKnown()) {
        // The text is folded; the concatenation still makes its new string (see StringConcat).
        ev.session.constantStrings.add(StringConcat.EMPTY);
        ev.session.trace.constant(StringConcat.EMPTY);
        args = new Value[] {ev.known(Known.ofRef(StringConcat.EMPTY))};
        ev.counters.callsFolded++;
      }
    }
    if (KnownLambdas.applies(d)) {
      final InvokeDynamicInsnNode site = d;
      final Virtual lambda = ev.lambdas.create(f, d, args, () -> {
        final InvokeDynamicInsnNode r = (InvokeDynamicInsnNode) site.clone(Collections.emptyMap());
        r.bsmArgs = nestmateArguments(f, r.bsmArgs);
        return r;
      });
      if (lambda != null) {
        f.push(lambda);
        return;
      }
    }
    final InvokeDynamicInsnNode residual = (InvokeDynamicInsnNode) d.clone(Collections.emptyMap());
    residual.bsmArgs = nestmateArguments(f, residual.bsmArgs);
    final Value result = ev.emit(residual, args, Kind.of(Type.getReturnType(d.desc)));
    if (result != null) {
      f.push(result);
    }
    final String bsm = d.bsm.getOwner();
    final boolean harmless = bsm.equals("java/lang/invoke/LambdaMetafactory")
        || bsm.equals("java/lang/invoke/StringConcatFactory") && Purity.writesNoUserHeap(
            "java/lang/String", "concat", d.desc.substring(0, d.desc.indexOf(')') + 1) + "V");
    if (!harmless) {
      s.kills = s.kills.killAll();
    }
    ev.counters.callsResidual++;
  }

  /**
   * Rewrites the bootstrap arguments of an {@code invokedynamic} moved into the hidden class. javac gives a lambda
   * whose body is a private instance method the handle {@code REF_invokeSpecial}, which only the declaring class
   * itself may resolve (JVMS 5.4.3.5): from the hidden class it fails with {@link IllegalAccessError}. For a private
   * method {@code invokespecial} and {@code invokevirtual} (or {@code invokeinterface}) select the same method, and
   * the hidden class, a nestmate, may use the latter. A {@code REF_invokeSpecial} of a non-private method (a true
   * super call) cannot be expressed from the hidden class: the specialization is declined.
   */
  private Object[] nestmateArguments(final Frame f, final Object[] bsmArgs) {
    final Object[] out = bsmArgs.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof Handle h && h.getTag() == H_INVOKESPECIAL) {
        final Class<?> c = ev.session.repository.classFor(h.getOwner(), f.method.declaringClass);
        final ClassRepository.ResolvedMethod m = c == null ? null
            : ev.session.repository.resolve(c, h.getName(), h.getDesc());
        if (m == null || !java.lang.reflect.Modifier.isPrivate(m.modifiers())) {
          throw new Declined(f.method, f.pc, "invokedynamic with a super-call method handle to "
              + h.getOwner() + "." + h.getName() + h.getDesc() + ", which the residual class cannot make");
        }
        out[i] = new Handle(h.isInterface() ? H_INVOKEINTERFACE : H_INVOKEVIRTUAL, h.getOwner(), h.getName(),
            h.getDesc(), h.isInterface());
      }
    }
    return out;
  }
}
