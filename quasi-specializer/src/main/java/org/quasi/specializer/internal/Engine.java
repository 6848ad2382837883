package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.LimitExceededException;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.quasi.specializer.Budgets;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.JdkPolicy;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationSummary;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * The specializer's pipeline, from a request to a residual class: screen the entry method, build the entry state from
 * the known and unknown arguments, run the {@link PartialEvaluator} (again with {@link Budgets#MINIMAL} if the result
 * is too large for a method), clean up with {@link Peephole}, assemble with {@link HiddenClassAssembler} and, on
 * request, define the hidden class through the caller's lookup.
 */
public final class Engine {
  private static final ClassRepository SHARED = new ClassRepository();

  private Engine() {
  }

  /**
   * What a specialization produced. {@code function} is null unless a functional interface was given;
   * {@code trialsSettledEarly} tells whether some inlining trial stopped at its first quasi-invariant fold;
   * {@code template} the {@link SpecializationTemplate} the code was replayed from, or null when it was evaluated.
   */
  public record Result(byte[] classFile, List<Object> classData, List<Dependency> dependencies,
      SpecializationSummary summary, Object function, boolean trialsSettledEarly, Object template) {

    /** Whether the code is an earlier specialization's, replayed. */
    public boolean fromTemplate() {
      return template != null;
    }

    /** Renders the residual method as text (costly: call only when someone reads it). */
    public String dump() {
      return HiddenClassAssembler.dump(classFile, classData);
    }
  }

  /**
   * Specializes {@code method} for the given arguments.
   *
   * @param known      for each argument (receiver first for instance methods), whether it is known
   * @param values     the known values (boxed primitives for primitive parameters)
   * @param jdkPolicy  which JDK packages may be specialized into
   * @param functional the functional interface to implement and define a hidden class for, or null to only
   *                   produce the class file
   */
  public static Result specialize(final MethodHandles.Lookup lookup, final Method method, final boolean[] known,
      final Object[] values, final Set<Field> quasiInvariants, final boolean foldFinals, final Budgets budgets,
      final JdkPolicy jdkPolicy, final Class<?> functional) throws SpecializationDeclined {
    return specialize(lookup, method, known, values, quasiInvariants, FieldAssumptions.NONE, foldFinals, budgets,
        jdkPolicy, functional, false, false);
  }

  /**
   * Specializes {@code method} for the given arguments, with field reads assumed to have the given values (see
   * {@link FieldAssumptions}: they fold and record no dependency).
   *
   * @param replacement whether the interface's method takes every argument, known ones included (which the residual
   *                  code ignores), rather than the unknown ones only ({@link HiddenClassAssembler})
   * @param shareCode whether the defined class may be shared with earlier results of the same code
   *                  ({@link SharedResidualClasses})
   */
  public static Result specialize(final MethodHandles.Lookup lookup, final Method method, final boolean[] known,
      final Object[] values, final Set<Field> quasiInvariants, final FieldAssumptions assumptions,
      final boolean foldFinals, final Budgets budgets, final JdkPolicy jdkPolicy, final Class<?> functional,
      final boolean replacement, final boolean shareCode) throws SpecializationDeclined {
    return specialize(lookup, method, known, values, quasiInvariants, assumptions, foldFinals, budgets, jdkPolicy,
        functional, replacement, shareCode, true);
  }

  /**
   * As {@link #specialize(MethodHandles.Lookup, Method, boolean[], Object[], Set, FieldAssumptions, boolean,
   * Budgets, JdkPolicy, Class, boolean, boolean)}, with inlining trials that settle early or not: with {@code false},
   * every trial runs to its end, which is the outcome early settling must give (tests compare the two).
   */
  static Result specialize(final MethodHandles.Lookup lookup, final Method method, final boolean[] known,
      final Object[] values, final Set<Field> quasiInvariants, final FieldAssumptions assumptions,
      final boolean foldFinals, final Budgets budgets, final JdkPolicy jdkPolicy, final Class<?> functional,
      final boolean replacement, final boolean shareCode, final boolean settleTrialsEarly)
      throws SpecializationDeclined {
    final boolean[] reference = references(method, known.length);
    final List<Object> templateKey = SpecializationTemplate.key(lookup, method, known, values, reference,
        quasiInvariants, assumptions, foldFinals, budgets, jdkPolicy, functional, replacement, shareCode,
        settleTrialsEarly);
    if (templateKey != null) {
      // Before any session or check: every check below depends only on what the key holds, and the evaluation
      // that made a template under this key passed them all.
      final Result made = fromTemplate(lookup, method, values, assumptions, templateKey);
      if (made != null) {
        return made;
      }
    }
    final Session session = new Session(lookup, SHARED, quasiInvariants, foldFinals, jdkPolicy);
    session.assumptions = assumptions;
    session.ignoredArguments = functional != null && replacement ? known.clone() : null;
    for (final Field f : quasiInvariants) {
      // Folding a static quasi-invariant reads its current value, which only exists once its class is initialized:
      // the caller named that class, so it is initialized now (a no-op when it already is).
      if (Modifier.isStatic(f.getModifiers())) {
        try {
          lookup.ensureInitialized(f.getDeclaringClass());
          session.initialized.add(f.getDeclaringClass());
        } catch (IllegalAccessException | IllegalArgumentException e) {
          // Not initialized by us: the field's reads stay residual unless the class is proven initialized otherwise.
        }
      }
    }
    final String owner = Type.getInternalName(method.getDeclaringClass());
    final String desc = Type.getMethodDescriptor(method);
    final String modifierProblem = CalleeScreen.modifierProblem(method.getModifiers());
    if (modifierProblem != null) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1, modifierProblem, null);
    }
    final String notItsBytecode = Purity.notItsBytecode(method.getDeclaringClass(), method.getName());
    if (notItsBytecode != null) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1, notItsBytecode, null);
    }
    final String assumptionProblem = assumptions.problem(method.getModifiers());
    if (assumptionProblem != null) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1, assumptionProblem, null);
    }
    if (!session.access.memberAccessible(method.getDeclaringClass(), method.getDeclaringClass(),
        method.getModifiers())) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1, "the method is not accessible "
          + "from lookup class " + lookup.lookupClass().getName(), null);
    }
    final MethodFacts entry = SHARED.facts(method.getDeclaringClass(), method.getName(), desc, session.screen);
    if (entry == null) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1,
          "the class file of " + method.getDeclaringClass().getName() + " cannot be read", null);
    }
    // A method refused only for some instructions is evaluated: it declines if evaluation reaches one of them (the
    // known arguments did not cut it off), with that instruction's reason.
    if (entry.refusal != null && !entry.inlinableWhereUnrefused()) {
      throw new SpecializationDeclined(owner, method.getName(), desc, entry.refusal.index(),
          entry.refusal.opcode(), entry.refusal.reason(), null);
    }
    final Type residualType = residualType(method, known);
    // Numbered before any evaluation, in argument order, as a template replays them (HeapTrace); a request that
    // keeps no template records nothing.
    if (templateKey != null) {
      session.trace = new HeapTrace();
    }
    final int[] keys = new int[known.length];
    for (int i = 0; i < known.length; i++) {
      keys[i] = known[i] && reference[i] && values[i] != null ? session.trace.key(values[i]) : -1;
    }
    final HeapTrace before = templateKey != null ? session.trace.start() : null;
    Attempt attempt;
    try {
      attempt = attempt(session, entry, method, known, values, budgets, residualType, functional, owner, desc,
          settleTrialsEarly, shareCode);
    } catch (SpecializationDeclined first) {
      final boolean settled = settleTrialsEarly && session.trials.settledEarly;
      if (!settled && !session.refusedReached) {
        throw first;
      }
      // A trial stopped at its first quasi-invariant fold and decided to inline; a full trial might have found
      // that the callee cannot be specialized, and called it. Or an inlined callee reached an instruction it is
      // refused for, which its trial had not (other budgets): such callees are called, as before partial callees.
      // Evaluate again as full trials decide, without partial callees if they failed.
      session.partialCallees &= !session.refusedReached;
      session.reset();
      attempt = attempt(session, entry, method, known, values, budgets, residualType, functional, owner, desc,
          settled ? false : settleTrialsEarly, shareCode);
    } finally {
      if (templateKey != null) {
        HeapTrace.stop(before);
      }
    }
    final byte[] classFile = attempt.classFile();
    final List<Object> classData = List.copyOf(session.classData);
    final SpecializationSummary summary = summary(entry, session, attempt.instructions());
    final List<Dependency> dependencies = List.copyOf(session.dependencies);
    final Object function = functional == null ? null
        : define(lookup, owner, method, desc, classFile, classData, shareCode);
    final Result result = new Result(classFile, classData, dependencies, summary, function,
        session.trials.settledEarly, null);
    if (templateKey != null) {
      final SpecializationTemplate template = SpecializationTemplate.of(session.trace, keys, result);
      if (template != null) {
        SpecializationTemplate.put(lookup.lookupClass(), templateKey, template);
      }
    }
    return result;
  }

  /** The specialization the first template kept under {@code key} that replays on these values gives, or null. */
  private static Result fromTemplate(final MethodHandles.Lookup lookup, final Method method, final Object[] values,
      final FieldAssumptions assumptions, final List<Object> key) throws SpecializationDeclined {
    for (final SpecializationTemplate t : SpecializationTemplate.find(lookup.lookupClass(), key)) {
      final SpecializationTemplate.Instance i = instance(t, values, assumptions);
      if (i != null) {
        return new Result(i.classFile(), i.classData(), i.dependencies(), i.summary(),
            define(Type.getInternalName(method.getDeclaringClass()), method, Type.getMethodDescriptor(method),
                () -> t.newInstance(lookup, SHARED, i.classData())),
            i.trialsSettledEarly(), t);
      }
    }
    return null;
  }

  /**
   * The template's specialization for these values, or null when its trace does not replay on them, or the replay
   * failed unexpectedly (then the request is evaluated as if there were no template: declining stays evaluation's).
   */
  private static SpecializationTemplate.Instance instance(final SpecializationTemplate t, final Object[] values,
      final FieldAssumptions assumptions) {
    try {
      return t.instantiate(values, assumptions, SHARED);
    } catch (RuntimeException | LinkageError e) {
      // DontCheck(IllegalCatch): a replay that fails in a way none foresaw must not fail the request.
      return null;
    }
  }

  /** For each argument (receiver first for instance methods), whether it is a reference. */
  private static boolean[] references(final Method method, final int arguments) {
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    final Class<?>[] params = method.getParameterTypes();
    final boolean[] reference = new boolean[arguments];
    for (int i = 0; i < arguments; i++) {
      reference[i] = instance && i == 0 || !params[instance ? i - 1 : i].isPrimitive();
    }
    return reference;
  }

  /**
   * Evaluations beyond the first made to keep loops rolled: each keeps at least one more loop rolled, so nested
   * fruitless loops (found one per evaluation when an outer one hides the inner) are covered up to this depth.
   */
  private static final int ROLLING_ROUNDS = 3;

  /** What one evaluation of a request produced. */
  private record Attempt(PartialEvaluator ev, byte[] classFile, int instructions) {
  }

  /**
   * Evaluates and assembles, retrying with minimal budgets when the residual method is too large.
   *
   * @param settleTrialsEarly whether inlining trials stop at their first quasi-invariant fold
   *                          ({@link InliningPolicy.Settled})
   */
  private static Attempt attempt(final Session session, final MethodFacts entry, final Method method,
      final boolean[] known, final Object[] values, final Budgets budgets, final Type residualType,
      final Class<?> functional, final String owner, final String desc, final boolean settleTrialsEarly,
      final boolean memoize) throws SpecializationDeclined {
    try {
      session.trials.settleEarly = settleTrialsEarly;
      PartialEvaluator ev = evaluate(session, entry, method, known, values, budgets);
      // Loops found fruitless to unroll are kept rolled from the start on another evaluation (LoopControl).
      for (int round = 0, rolled = 0; round < ROLLING_ROUNDS && session.rolled.size() > rolled; round++) {
        rolled = session.rolled.size();
        session.reset(false);
        session.trials.settleEarly = settleTrialsEarly;
        ev = evaluate(session, entry, method, known, values, budgets);
      }
      if (foldedNothing(session.counters) && budgets != Budgets.MINIMAL) {
        // The known values decided no branch, no read and no call, and yet the residual code is larger than all the
        // generic code it was made from (the method and the callees inlined into it): paths specialized apart and
        // iterations unrolled copied code that nothing folded. Specialize minimally instead when that is smaller;
        // evaluate as before otherwise.
        final int full = cleanedSize(session, ev);
        if (full > entry.insns.length + session.counters.inlinedInstructions) {
          session.reset(false);
          session.trials.settleEarly = settleTrialsEarly;
          ev = evaluate(session, entry, method, known, values, Budgets.MINIMAL);
          if (cleanedSize(session, ev) >= full) {
            session.reset(false);
            session.trials.settleEarly = settleTrialsEarly;
            ev = evaluate(session, entry, method, known, values, budgets);
          }
        }
      }
      // Code shared across versions is often the same code again: what follows partial evaluation is then reused.
      final Class<?> lookupClass = session.access.lookupClass();
      // Per lookup class, and only among lookups of the same privilege: assembly sees the lookup's access.
      final List<Object> key = memoize && session.access.fullPrivilege() ? ResidualMemo.key(entry,
          residualType.getDescriptor(), functional, session.ignoredArguments, ev.residual.parameterSlots(),
          ev.residual.code,
          ev.residual.handlers, session.extraMethods) : null;
      final ResidualMemo.Assembled memo = key == null ? null : ResidualMemo.find(lookupClass, key);
      if (memo != null) {
        return new Attempt(ev, memo.classFile(), memo.instructions());
      }
      finish(session, ev);
      final Attempt done = assembled(session, ev, residualType, functional);
      if (key != null) {
        ResidualMemo.put(lookupClass, key, new ResidualMemo.Assembled(done.classFile(), done.instructions()));
      }
      return done;
    } catch (ResidualMethod.ResidualTooLarge | MethodTooLargeException | LimitExceededException e) {
      // LimitExceededException: ASM's bound on the work of computing frames for a huge residual method.
      try {
        session.reset();
        session.trials.settleEarly = settleTrialsEarly;
        final PartialEvaluator ev = evaluate(session, entry, method, known, values, Budgets.MINIMAL);
        finish(session, ev);
        return assembled(session, ev, residualType, functional);
      } catch (ResidualMethod.ResidualTooLarge | MethodTooLargeException | LimitExceededException again) {
        throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1,
            "the residual method is too large for the class-file format even when specialized minimally ("
                + again.getMessage() + ")", again);
      } catch (Declined d) {
        // Minimal budgets inline differently: a partial callee may reach what it is refused for (Session).
        throw declined(d);
      } catch (RuntimeException | LinkageError failed) {
        // DontCheck(IllegalCatch): as below; the catch clauses below do not see what this retry throws.
        throw internalFailure(owner, method, desc, failed);
      }
    } catch (Declined d) {
      throw declined(d);
    } catch (IllegalArgumentException e) {
      // The functional interface does not fit: a usage error, reported as such.
      throw e;
    } catch (RuntimeException | LinkageError e) {
      // DontCheck(IllegalCatch): a bug in the specializer must not crash the host nor yield doubtful code; the
      // original method is still there, so declining is always safe.
      throw internalFailure(owner, method, desc, e);
    }
  }

  /** Whether an evaluation folded no branch, no read of a field or an element and no call to its result. */
  private static boolean foldedNothing(final PartialEvaluator.Counters c) {
    return c.branchesFolded == 0 && c.heapReads == 0 && c.callsFolded == 0;
  }

  /**
   * The residual instructions the evaluation leaves once cleaned up, its extra methods included; the clean-up runs
   * on a copy, so the evaluation's code stays as it is for the memo and the assembly.
   */
  private static int cleanedSize(final Session session, final PartialEvaluator ev) {
    final java.util.Map<LabelNode, LabelNode> labels = new java.util.HashMap<>();
    for (final AbstractInsnNode insn : ev.residual.code) {
      if (insn instanceof LabelNode l) {
        labels.put(l, new LabelNode());
      }
    }
    final InsnList code = new InsnList();
    for (final AbstractInsnNode insn : ev.residual.code) {
      code.add(insn.clone(labels));
    }
    final List<TryCatchBlockNode> handlers = new ArrayList<>();
    for (final TryCatchBlockNode h : ev.residual.handlers) {
      handlers.add(new TryCatchBlockNode(labels.get(h.start), labels.get(h.end), labels.get(h.handler), h.type));
    }
    ResidualCleanup.run(code, handlers, session.repository, session.access.lookupClass());
    int size = count(code);
    for (final var m : session.extraMethods) {
      size += count(m.instructions);
    }
    return size;
  }

  private static SpecializationDeclined internalFailure(final String owner, final Method method, final String desc,
      final Throwable e) {
    return new SpecializationDeclined(owner, method.getName(), desc, -1, -1,
        "the specializer failed internally (a bug in Quasi, please report it): " + e, e);
  }

  private static SpecializationDeclined declined(final Declined d) {
    return new SpecializationDeclined(d.method.owner, d.method.node.name, d.method.node.desc, d.index,
        d.index >= 0 ? d.method.insns[d.index].getOpcode() : -1, d.getMessage(), null);
  }

  private static Type residualType(final Method method, final boolean[] known) {
    final List<Type> unknown = new ArrayList<>();
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    final Class<?>[] params = method.getParameterTypes();
    for (int i = 0; i < known.length; i++) {
      if (!known[i]) {
        unknown.add(Type.getType(instance ? (i == 0 ? method.getDeclaringClass() : params[i - 1]) : params[i]));
      }
    }
    return Type.getMethodType(Type.getType(method.getReturnType()), unknown.toArray(new Type[0]));
  }

  private static PartialEvaluator evaluate(final Session session, final MethodFacts entry, final Method method,
      final boolean[] known, final Object[] values, final Budgets budgets) {
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    final Class<?>[] params = method.getParameterTypes();
    int parameterLocals = 0;
    for (int i = 0; i < known.length; i++) {
      if (!known[i]) {
        parameterLocals += Type.getType(instance && i == 0 ? Object.class
            : params[instance ? i - 1 : i]).getSize();
      }
    }
    final PartialEvaluator ev = new PartialEvaluator(session, budgets, parameterLocals);
    final Frame frame = Frame.enter(entry);
    final Value[] arguments = new Value[known.length];
    int slot = 0;
    int parameter = 0;
    for (int i = 0; i < known.length; i++) {
      final Type t = Type.getType(instance && i == 0 ? method.getDeclaringClass() : params[instance ? i - 1 : i]);
      final Value.Kind kind = Value.Kind.of(t);
      final Value v;
      if (known[i]) {
        v = ev.known(HeapReader.box(kind, values[i], false));
      } else {
        v = new Unknown(kind, parameter);
        parameter += t.getSize();
      }
      frame.store(slot, v);
      arguments[i] = v;
      slot += t.getSize();
    }
    frame.entryKey = Frame.entryKey(arguments);
    if (instance && !known[0]) {
      // Calling the original on a null receiver throws before any effect: so must the residual code.
      ev.residual.push(frame.load(0));
      ev.residual.add(new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;",
          false));
      ev.residual.add(new InsnNode(POP));
    }
    final Class<?> declaring = method.getDeclaringClass();
    if (!instance && !ev.initialized(declaring)) {
      if (!ev.canTriggerInitialization(declaring)) {
        throw new Declined(entry, -1, declaring.getName() + " has a static initializer that may not have run "
            + "yet, and the residual code could not trigger it (the class is not accessible from lookup class "
            + session.access.lookupClass().getName() + ")");
      }
      ev.triggerInitialization(declaring);
    }
    ev.run(new State(new Frame[] {frame, null, null, null}, 1, HeapKills.NONE));
    return ev;
  }

  /** What follows partial evaluation: the clean-up passes, the allocation of locals, increments formed again. */
  private static void finish(final Session session, final PartialEvaluator ev) {
    ResidualCleanup.run(ev.residual.code, ev.residual.handlers, session.repository, session.access.lookupClass());
    LocalAllocator.run(ev.residual.code, ev.residual.parameterSlots());
    Peephole.increments(ev.residual.code);
  }

  /** The attempt's class file, and its residual method's instruction count as specialized (before WideJumps). */
  private static Attempt assembled(final Session session, final PartialEvaluator ev, final Type residualType,
      final Class<?> functional) {
    final int instructions = count(ev.residual.code);
    return new Attempt(ev, assemble(session, ev, residualType, functional), instructions);
  }

  private static byte[] assemble(final Session session, final PartialEvaluator ev, final Type residualType,
      final Class<?> functional) {
    return HiddenClassAssembler.assemble(session.access.lookupClass(), session.repository, session.access,
        ev.residual.code, ev.residual.handlers, session.extraMethods, residualType, functional,
        session.ignoredArguments);
  }

  private static SpecializationSummary summary(final MethodFacts entry, final Session session,
      final int entryInstructions) {
    int after = entryInstructions;
    for (final var m : session.extraMethods) {
      after += count(m.instructions);
    }
    final PartialEvaluator.Counters c = session.counters;
    return new SpecializationSummary(entry.insns.length, after, c.callsInlined, c.callsSpecialized, c.callsFolded,
        c.callsResidual, c.branchesFolded, c.unrolled, c.heapReads, session.variants, c.budgetExceeded);
  }

  private static int count(final InsnList code) {
    int n = 0;
    for (final var insn : code) {
      n += insn.getOpcode() >= 0 ? 1 : 0;
    }
    return n;
  }

  /** How a residual class is defined and instantiated. */
  private interface Definition {
    Object instance() throws Throwable;
  }

  private static Object define(final MethodHandles.Lookup lookup, final String owner, final Method method,
      final String desc, final byte[] classFile, final List<Object> classData, final boolean shareCode)
      throws SpecializationDeclined {
    return define(owner, method, desc, () -> {
      if (shareCode) {
        return SharedResidualClasses.instantiate(lookup, SHARED, classFile, classData);
      }
      final MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(classFile, classData, true,
          MethodHandles.Lookup.ClassOption.NESTMATE);
      return hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
    });
  }

  private static Object define(final String owner, final Method method, final String desc,
      final Definition definition) throws SpecializationDeclined {
    try {
      return definition.instance();
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("the lookup cannot define classes: " + e.getMessage(), e);
    } catch (LinkageError e) {
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1,
          "the JVM rejected the residual class (" + e + ")", e);
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a constructor that does nothing cannot throw; report anything as a decline.
      throw new SpecializationDeclined(owner, method.getName(), desc, -1, -1,
          "the residual class could not be instantiated (" + t + ")", t);
    }
  }
}
