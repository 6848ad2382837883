package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.quasi.specializer.Budgets;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Online partial evaluation of one entry method into one residual method: the driver.
 *
 * <p>The residual code is produced block by block from a work list. A block starts from an abstract {@link State}
 * and specializes instructions one after the other ({@link InstructionSpecializer} for most,
 * {@link CallSpecializer} for calls, {@link HeapReader} for heap reads): known operations fold, the rest are emitted
 * with their unknown operands loaded from residual locals and their result stored into a fresh one. Where the
 * original code joins (several predecessors, loop headers, returns of multi-exit callees) the block ends with a jump
 * to the <em>variant</em> of that point for the current state ({@link Variants}); a new variant is created while the
 * point's budget allows, otherwise the state is generalized first. A conditional jump on an unknown condition emits
 * the residual branch and queues its other side as a new block.
 *
 * <p>Not thread-safe: one evaluator per specialization.
 */
final class PartialEvaluator {
  /**
   * A block still to specialize: residual label, state, whether it is the canonical entry of a variant, and whether it
   * is the stub of a residual exception handler ({@link ResidualHandlers}).
   */
  private record Work(LabelNode label, State state, boolean variantEntry, boolean forked, boolean handler) {
    Work(final LabelNode label, final State state, final boolean variantEntry, final boolean forked) {
      this(label, state, variantEntry, forked, false);
    }
  }

  final Session session;
  final ResidualMethod residual;
  final Budgets budgets;
  final HeapReader heap;
  final CallSpecializer calls;
  final Counters counters;
  final Materializer materializer;
  final VirtualOps virtuals;
  final KnownLambdas lambdas;
  final InliningPolicy inlining;
  private final InstructionSpecializer instructions;
  private final ResidualHandlers handlers;
  private final Variants variants = new Variants();
  private final ArrayDeque<Work> work = new ArrayDeque<>();
  /** Set by an inlined return whose continuation must be treated as a join (the callee has several returns). */
  boolean forceJoin;
  /** Once a global budget is exhausted, every join is generalized and calls stay residual. */
  boolean exhausted;

  /** Summary counters, updated as specialization proceeds. */
  static final class Counters {
    int callsInlined;
    int callsSpecialized;
    int callsFolded;
    int callsResidual;
    int branchesFolded;
    int unrolled;
    int heapReads;
    /**
     * Reads folded from a known or virtual object (an instance field, an array element) and stores into a virtual
     * array: what an unrolled loop iteration can gain beyond its control ({@link #noteIteration}).
     */
    int objectFolds;
    /**
     * Instructions of the callees inlined so far, their own bodies counted once per inlining: the generic code an
     * evaluation took in, which {@link InliningPolicy} weighs against what is left of it.
     */
    int inlinedInstructions;
    boolean budgetExceeded;

    void reset() {
      reset(true);
    }

    /** Resets the counters; {@code budgetCut} tells whether the next evaluation has smaller budgets. */
    void reset(final boolean budgetCut) {
      objectFolds = 0;
      inlinedInstructions = 0;
      callsInlined = 0;
      callsSpecialized = 0;
      callsFolded = 0;
      callsResidual = 0;
      branchesFolded = 0;
      unrolled = 0;
      heapReads = 0;
      // A retry with smaller budgets is itself a budget cut.
      budgetExceeded = budgetCut;
    }
  }

  PartialEvaluator(final Session session, final Budgets budgets, final int firstFreeLocal) {
    this.session = session;
    this.budgets = budgets;
    this.residual = new ResidualMethod(session.access, firstFreeLocal, session.classData, session.classDataIndex,
        session.constantStrings);
    this.counters = session.counters;
    this.materializer = new Materializer(residual);
    this.residual.materializer = materializer;
    this.virtuals = new VirtualOps(this);
    this.lambdas = new KnownLambdas(this);
    this.inlining = new InliningPolicy(this);
    this.heap = new HeapReader(this);
    this.calls = new CallSpecializer(this);
    this.instructions = new InstructionSpecializer(this);
    this.handlers = new ResidualHandlers(this);
    this.materializer.onMaterialized = handlers::materialized;
    this.exhausted = budgets.residualInstructions() == 0;
  }

  /** Specializes from {@code entry} until no work is left. */
  void run(final State entry) {
    // The entry block reads the parameters where they are; a join at instruction 0 still gets its variant.
    work.push(new Work(new LabelNode(), entry, false, false));
    while (!work.isEmpty()) {
      block(work.pop());
    }
  }


  Set<Class<?>> initialized() {
    return session.initialized;
  }

  private void block(final Work w) {
    residual.place(w.label());
    final State s = w.state();
    materializer.enter(s);
    if (w.handler()) {
      // The stub of a residual handler: the exception is on the stack; keep it, then go to the handler's variant.
      s.top().push(residual.storeResult(Value.Kind.REF));
      s.splits++;
      jumpToVariant(s, 1);
      return;
    }
    boolean first = w.variantEntry();
    if (first) {
      s.splits++;
      if (s.top().method.loopHeaders[s.top().pc]) {
        s.residualBranches = 0;
      }
    }
    // A block that has not split since it began is the only path here: it may run through non-loop joins
    // without sharing them (other paths reaching them come from other blocks, each at most once).
    final int blockStart = w.forked() ? -1 : s.splits;
    while (true) {
      final Frame f = s.top();
      if (!first && (forceJoin || f.method.joins[f.pc]
          && (f.method.loopHeaders[f.pc] || s.splits != blockStart))) {
        forceJoin = false;
        jumpToVariant(s);
        return;
      }
      first = false;
      if (!exhausted && residual.size() > budgets.residualInstructions()) {
        exhausted = true;
        counters.budgetExceeded = true;
      }
      if (residual.size() > HARD_LIMIT) {
        throw new ResidualMethod.ResidualTooLarge("residual code over " + HARD_LIMIT + " instructions");
      }
      if (f.method.refusedInstructions != null && f.method.refusedInstructions.get(f.pc)) {
        // An instruction the hidden class cannot have was reached: in an inlined callee (InliningPolicy's trial saw
        // it not reached, or this is the trial), or in the request's own method (its known arguments did not cut it
        // off; evaluating again calling partial callees would reach it too). Give up, as for any decline.
        session.refusedReached |= session.trialNesting == 0 && s.depth > 1;
        final String why = session.screen.problem(f.method, f.pc);
        throw new Declined(f.method, f.pc, why != null ? why : f.method.refusal.reason());
      }
      handlers.beforeStep(s);
      final boolean more = instructions.step(s);
      handlers.afterStep();
      if (!more) {
        handlers.close();
        return;
      }
    }
  }

  /** Residual instructions beyond which even generic specialization cannot fit a method: retry with less. */
  static final int HARD_LIMIT = 40_000;

  /** Queues the stub of a residual exception handler, entered with the exception on the stack, in state {@code s}. */
  void handlerEntry(final LabelNode label, final State s) {
    work.push(new Work(label, s, false, false, true));
  }

  /** Queues the other side of a residual branch: specialization continues there later from {@code s}. */
  void fork(final LabelNode label, final State s) {
    work.push(new Work(label, s, false, true));
  }

  /**
   * Ends the current block: finds or creates the variant of the current point for {@code s}, moves the unknown
   * values into the variant's locals and jumps there.
   */
  void jumpToVariant(final State incoming) {
    jumpToVariant(incoming, -1);
  }

  /**
   * As {@link #jumpToVariant(State)}, with at most {@code budget} variants at this point when it is not negative: a
   * handler gets one for its first throwing point, then one knowing what its throwing points agree on.
   */
  private void jumpToVariant(final State incoming, final int budgetOverride) {
    // The moves below write variant locals a handler stub may read: the open try range ends here.
    handlers.close();
    Variants.forgetDead(incoming);
    State s = incoming;
    if (!exhausted && s.top().method.loopHeaders[s.top().pc]) {
      s = LoopControl.liftIfUnknown(s, session);
    }
    List<Object> key = Variants.key(s);
    Variants.Variant v = variants.find(key);
    if (v == null) {
      final List<Variants.Variant> at = variants.at(s);
      final Frame top = s.top();
      final boolean loop = top.method.loopHeaders[top.pc];
      final int budget = budgetOverride >= 0 ? Math.min(budgetOverride, budgets.polyvariance())
          : loop ? budgets.unrolling() : budgets.polyvariance();
      if (exhausted) {
        s = Variants.generalize(s);
      } else if (at.size() >= budget || loop && !at.isEmpty() && s.residualBranches > 0) {
        // Over budget, or back at a loop header through a residual branch (the loop's control is not
        // known): lift what differs from the variants already there instead of unrolling.
        counters.budgetExceeded |= at.size() >= budget && budgetOverride < 0;
        if (loop && at.size() == 1 && at.size() < budget && s.residualBranches > 0) {
          keepRolledIfPeeledForNothing(s);
        }
        for (final Variants.Variant other : at) {
          s = Variants.meet(s, other.state());
        }
      }
      if (s != incoming) {
        key = Variants.key(s);
        v = variants.find(key);
      }
      if (v == null) {
        if (loop) {
          noteIteration(s, at.size());
        }
        v = new Variants.Variant(new LabelNode(), canonical(s));
        variants.add(v, key);
        session.variants++;
        work.push(new Work(v.label(), v.state().copy(), true, false));
      }
    }
    move(incoming, v.state());
    residual.add(new JumpInsnNode(GOTO, v.label()));
  }

  /**
   * Notes that a variant is made at the loop header {@code s} is at, the {@code earlier}-th there: an unrolled
   * iteration when it is not the first. The residual code since the previous one was made is that iteration's
   * (the new variant's block is evaluated next, the forks of the iteration after the rest of the loop), and the
   * loop is kept {@linkplain Session#rolled rolled} when it was {@linkplain LoopControl#fruitless fruitless}, or when
   * its iterations that folded no object have {@linkplain LoopControl#overgrown overgrown} it. The first iteration
   * is not judged: a loop that runs once is better unrolled, whatever it folds.
   */
  private void noteIteration(final State s, final int earlier) {
    final List<Object> point = Variants.point(s);
    final int[] now = {residual.size(), counters.objectFolds, 0};
    final int[] since = iterationStart.put(point, now);
    if (earlier == 0) {
      return;
    }
    counters.unrolled++;
    if (since == null) {
      return;
    }
    final Frame top = s.top();
    final int iteration = now[0] - since[0];
    final int objectFolds = now[1] - since[1];
    // The residual code of this loop's iterations so far that folded no object: only their counter's arithmetic.
    now[2] = since[2] + (objectFolds == 0 ? iteration : 0);
    if (earlier >= 2 && LoopControl.fruitless(top.method, top.pc, iteration, objectFolds)
        || LoopControl.overgrown(top.method, top.pc, now[2])) {
      session.rolled.add(List.of(top.method, top.pc));
    }
  }

  /**
   * Called when the second arrival at loop header {@code s} came through a residual exit branch, so the loop is
   * generalized now: its first iteration, specialized on the entry's knowledge, stays in front of the general loop
   * as a copy. When that iteration was {@linkplain LoopControl#fruitless fruitless} (it folded no read of a known or
   * virtual object, and kept at least half of the loop's code), the copy gains nothing: the loop is kept
   * {@linkplain Session#rolled rolled} from its entry on the next evaluation. A search loop over a known array whose
   * elements the evaluator may not read ({@code for (b : bytes) if (!valid(b)) return false}) was peeled once.
   */
  private void keepRolledIfPeeledForNothing(final State s) {
    final int[] since = iterationStart.get(Variants.point(s));
    final Frame top = s.top();
    if (since != null && LoopControl.fruitless(top.method, top.pc, residual.size() - since[0],
        counters.objectFolds - since[1])) {
      session.rolled.add(List.of(top.method, top.pc));
    }
  }

  /**
   * Per loop header point: the residual code's size and the object folds when its last variant was made, and the
   * residual code of its unrolled iterations that folded no object ({@link LoopControl#overgrown}).
   */
  private final java.util.Map<List<Object>, int[]> iterationStart = new java.util.HashMap<>();

  /** Puts every unknown slot of {@code s} in its positional local: the variant's entry layout. */
  private State canonical(final State s) {
    final State c = s.copy();
    // Slots holding the same value keep sharing it (the key records that they do).
    // Sized for the few unknown and virtual values a state usually holds (as Variants.key); they grow if need be.
    final java.util.Map<Unknown, Unknown> placed = new java.util.IdentityHashMap<>(4);
    final java.util.Map<Virtual, Virtual> virtuals = new java.util.IdentityHashMap<>(2);
    for (int d = 0; d < c.depth; d++) {
      final Frame f = c.frames[d];
      final int depth = d;
      for (int i = 0; i < f.locals.length; i++) {
        f.locals[i] = canonical(f.locals[i], depth, false, i, placed, virtuals);
      }
      for (int i = 0; i < f.sp; i++) {
        f.stack[i] = canonical(f.stack[i], depth, true, i, placed, virtuals);
      }
    }
    return c;
  }

  private Value canonical(final Value v, final int depth, final boolean stack, final int slot,
      final java.util.Map<Unknown, Unknown> placed, final java.util.Map<Virtual, Virtual> virtuals) {
    if (v instanceof Unknown u) {
      return placed.computeIfAbsent(u, x -> new Unknown(u.kind, residual.positional(depth, stack, slot, u.kind)));
    }
    if (v instanceof Virtual w && w.hasUnknown()) {
      return virtuals.computeIfAbsent(w, x -> {
        final List<Value> parts = w.parts();
        for (int i = 0; i < parts.size(); i++) {
          if (parts.get(i) instanceof Unknown u) {
            // A place of its own for each part of a virtual value held in this slot.
            final int place = VIRTUAL_PARTS + slot * Virtual.MAX_PARTS + i;
            placed.computeIfAbsent(u, y -> new Unknown(u.kind, residual.positional(depth, stack, place, u.kind)));
          }
        }
        return w.mapUnknowns(placed::get);
      });
    }
    return v;
  }

  /** Positional places of the parts of virtual values start here (beyond any frame slot). */
  private static final int VIRTUAL_PARTS = 1 << 16;

  /**
   * Emits the moves that put the values of {@code from} where variant state {@code to} expects them. When a
   * source local is also the destination of another move (a loop that permutes its variables), all sources are
   * pushed first and stored afterwards, so no source is overwritten before it is read.
   */
  private void move(final State from, final State to) {
    final List<Unknown> targets = new ArrayList<>();
    final List<Value> sources = new ArrayList<>();
    for (int d = 0; d < to.depth; d++) {
      final Frame ft = to.frames[d];
      final Frame ff = from.frames[d];
      for (int i = 0; i < ft.locals.length; i++) {
        collect(ft.locals[i], ff.locals[i], targets, sources);
      }
      for (int i = 0; i < ft.sp; i++) {
        collect(ft.stack[i], ff.stack[i], targets, sources);
      }
    }
    for (int i = 0; i < sources.size(); i++) {
      // A virtual value lifted to unknown becomes real before any move overwrites the locals its parts are in.
      if (sources.get(i) instanceof Virtual v) {
        sources.set(i, materializer.materialize(v));
      }
    }
    boolean overlap = false;
    for (final Value src : sources) {
      if (src instanceof Unknown u) {
        for (final Unknown t : targets) {
          overlap |= t.local == u.local;
        }
      }
    }
    if (overlap) {
      for (final Value src : sources) {
        residual.push(src);
      }
      for (int i = targets.size() - 1; i >= 0; i--) {
        residual.storeInto(targets.get(i));
      }
    } else {
      for (int i = 0; i < targets.size(); i++) {
        residual.push(sources.get(i));
        residual.storeInto(targets.get(i));
      }
    }
  }

  private static void collect(final Value target, final Value source, final List<Unknown> targets,
      final List<Value> sources) {
    if (target instanceof Virtual t && source instanceof Virtual s) {
      // Same structure (the variant's key says so): move part by part.
      final List<Value> tp = t.parts();
      final List<Value> sp = s.parts();
      for (int i = 0; i < tp.size(); i++) {
        collect(tp.get(i), sp.get(i), targets, sources);
      }
      return;
    }
    if (target instanceof Unknown t && !(source instanceof Unknown s && s.local == t.local)
        && !targets.contains(t)) {
      targets.add(t);
      sources.add(source);
    }
  }

  /**
   * Emits {@code insn} with its operands loaded, stores its result (unless {@code result} is NONE) into a fresh
   * local, and returns the result (null for none).
   */
  Value emit(final AbstractInsnNode insn, final Value[] operands, final Value.Kind result) {
    for (final Value v : operands) {
      residual.push(v);
    }
    residual.add(insn);
    if (result == Value.Kind.NONE) {
      return null;
    }
    return residual.storeResult(result);
  }

  /** Emits {@code opcode} with operands; see {@link #emit(AbstractInsnNode, Value[], Value.Kind)}. */
  Value emit(final int opcode, final Value[] operands, final Value.Kind result) {
    return emit(new InsnNode(opcode), operands, result);
  }

  /** Records that a known object exists: its class and superclasses are therefore initialized. */
  Known known(final Known k) {
    if (k.kind() == Value.Kind.REF && k.value() != null) {
      for (Class<?> c = k.value().getClass(); c != null && session.initialized.add(c); c = c.getSuperclass()) {
        // Adding each superclass once; stops at the first already recorded.
      }
    }
    return k;
  }

  /** Returns whether class {@code c} is proven initialized, so that skipping its initialization is harmless. */
  boolean initialized(final Class<?> c) {
    if (c.isArray() || session.initialized.contains(c) || !session.repository.hasStaticInitializer(c)
        || Purity.initializeJdkValueClass(c)) {
      return true;
    }
    if (InitializationQuery.completed(c) || session.repository.effectFree.initializeIfEffectFree(c, session.lookup)) {
      session.initialized.add(c);
      return true;
    }
    return false;
  }

  /** Returns whether residual code can initialize {@code c} at a chosen point ({@link #triggerInitialization}). */
  boolean canTriggerInitialization(final Class<?> c) {
    return !c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers()) || staticField(c) != null
        || session.access.classAccessible(c);
  }

  /**
   * Emits code that initializes {@code c} exactly as the original's first use would have: {@code new C; pop} for a
   * concrete class (allocation without constructor: the object is never used); otherwise reading one of its own
   * static fields; otherwise, for an abstract class or an interface with no static field the residual code may read
   * (lucene's {@code PointRangeQuery}), {@code MethodHandles.lookup().ensureInitialized(C.class)}: the residual class's
   * own lookup, with no access beyond the caller's, initializing as the JVM does (an
   * {@code ExceptionInInitializerError} the first time an initializer throws, {@code NoClassDefFoundError} after).
   * Call only when {@link #canTriggerInitialization} holds.
   */
  void triggerInitialization(final Class<?> c) {
    final String name = org.objectweb.asm.Type.getInternalName(c);
    if (!c.isInterface() && !java.lang.reflect.Modifier.isAbstract(c.getModifiers())) {
      residual.add(new org.objectweb.asm.tree.TypeInsnNode(NEW, name));
      residual.add(new InsnNode(POP));
      return;
    }
    final java.lang.reflect.Field f = staticField(c);
    if (f == null) {
      final String lookup = "java/lang/invoke/MethodHandles$Lookup";
      residual.add(new org.objectweb.asm.tree.MethodInsnNode(INVOKESTATIC, "java/lang/invoke/MethodHandles",
          "lookup", "()L" + lookup + ";", false));
      residual.add(new org.objectweb.asm.tree.LdcInsnNode(org.objectweb.asm.Type.getObjectType(name)));
      residual.add(new org.objectweb.asm.tree.MethodInsnNode(INVOKEVIRTUAL, lookup, "ensureInitialized",
          "(Ljava/lang/Class;)Ljava/lang/Class;", false));
      residual.add(new InsnNode(POP));
      return;
    }
    final org.objectweb.asm.Type t = org.objectweb.asm.Type.getType(f.getType());
    residual.add(new org.objectweb.asm.tree.FieldInsnNode(GETSTATIC, name, f.getName(), t.getDescriptor()));
    residual.add(new InsnNode(t.getSize() == 2 ? POP2 : POP));
  }

  /** Returns a static field declared by {@code c} that residual code may read, or null. */
  private java.lang.reflect.Field staticField(final Class<?> c) {
    try {
      for (final java.lang.reflect.Field f : c.getDeclaredFields()) {
        if (java.lang.reflect.Modifier.isStatic(f.getModifiers())
            && session.access.memberAccessible(c, c, f.getModifiers())
            && session.access.classAccessible(f.getType())) {
          return f;
        }
      }
    } catch (LinkageError | SecurityException e) {
      return null;
    }
    return null;
  }

  static Set<Class<?>> newInitializedSet() {
    return Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  }
}
