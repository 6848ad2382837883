package org.quasi.specializer.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.quasi.specializer.internal.ClassRepository.ResolvedMethod;
import org.quasi.specializer.internal.Value.Kind;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Decides whether specializing a call pays: inlining a callee whose body does not fold only copies it into the
 * residual code. The callee is first specialized on its own, as a trial, with the knowledge the call has (known
 * arguments, unknown ones as parameters, the heap knowledge killed so far); then
 *
 * <ul>
 *   <li>{@link Decision#INLINE} when its residual code is no larger than the call it replaces (a getter, a helper
 *       whose branches fold away, a known computation), or when some argument is known and what the known
 *       arguments folded away (the callee's own size, and that of the callees the trial inlined, less the trial's:
 *       on a known tree, the walk the call would make) is at least twice what inlining adds to
 *       the caller net of the call it replaces (the trial's size less the call's): a callee of 40 instructions whose
 *       trial keeps 36 adds 32 to save a call, and stays a call, and so does a factory of 10 whose trial keeps its
 *       allocation (5 instructions, 2 more than the call);</li>
 *   <li>{@link Decision#INLINE} also when the trial folded a read of a declared quasi-invariant: that is what the
 *       request specializes on, and the call would execute the original's whole path (a search over a list whose
 *       links are quasi-invariant, say) however small the residual of its caller is;</li>
 *   <li>{@link Decision#CALL} otherwise: the original callee is called, with its known arguments as constants.</li>
 * </ul>
 *
 * <p>An inlined call beyond the call-depth budget is still specialized apart ({@code CallSpecializer}), as
 * before: that is how recursion with known control that runs deep is specialized.
 *
 * <p>A callee the screen refused for some of its instructions only ({@link MethodFacts#refusedInstructions}: a
 * member the hidden class cannot reach, on a path the known arguments cut off) is inlined only on such a trial's
 * word: a trial that reaches one of them fails, and the callee is called.
 *
 * <p>Calls on virtual objects are always inlined (that is where their field reads fold and they stay virtual).
 * Trials nest (a trial's calls are decided by trials too) up to {@link #MAX_NESTING}; deeper, calls are inlined
 * within the budgets as before. Results are memoized per callee and known-argument pattern for the whole request.
 * A trial runs in a session of its own, so nothing it records (dependencies, residual methods, counters) reaches
 * the real specialization.
 */
final class InliningPolicy {
  /** What to do with a call whose target is known. */
  enum Decision { INLINE, CALL }

  /** Residual instructions an inlined callee may have beyond the call it replaces. */
  static final int SLACK = 0;
  /** Trials within trials beyond this depth are not run. */
  static final int MAX_NESTING = 3;

  /** Per request: trial results by callee, arguments (known values, unknown kinds) and killed knowledge. */
  static final class Memo {
    final Map<List<Object>, Decision> decisions = new HashMap<>();
    /** Whether trials stop at their first fold of a quasi-invariant read ({@link Settled}). */
    boolean settleEarly = true;
    /** Whether some trial of this request stopped there. */
    boolean settledEarly;
  }

  /**
   * Thrown in a trial at its first fold of a read that is not of a final field (see {@link #noteDependency}): the
   * trial's decision is then INLINE whatever the rest of the callee would cost, so evaluating the rest would only
   * repeat what the real inlining evaluates again. The one thing the rest could still tell is that the callee
   * cannot be specialized at all (a trial that fails calls the callee instead); a request whose real evaluation
   * fails after such a trial is evaluated again with full trials ({@code Engine}), so the outcome is the one full
   * trials give.
   */
  static final class Settled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final Settled INSTANCE = new Settled();

    private Settled() {
      super("a trial folded a quasi-invariant read", null, false, false);
    }
  }

  /**
   * Called after {@code session} recorded a dependency of kind {@code kind}; in a trial that may settle early, a
   * dependency that is not on a final field settles it.
   */
  static void noteDependency(final Session session, final org.quasi.specializer.Dependency.Kind kind) {
    if (session.trialNesting > 0 && session.trials.settleEarly
        && kind != org.quasi.specializer.Dependency.Kind.FINAL_FIELD) {
      throw Settled.INSTANCE;
    }
  }

  private final PartialEvaluator ev;

  InliningPolicy(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /** Decides for a call of {@code target} with {@code args} in state {@code s}. */
  Decision decide(final State s, final ResolvedMethod target, final Value[] args) {
    boolean known = false;
    boolean virtual = false;
    for (final Value v : args) {
      virtual |= v instanceof Virtual;
      known |= v instanceof Known;
    }
    final Session session = ev.session;
    final MethodFacts callee = session.repository.facts(target.declaring(), target.name(), target.desc(),
        session.screen);
    // A callee refused for some of its instructions is inlined only when a whole trial (nothing settled early, no
    // virtual argument the trial would see as unknown) reached none of them.
    if (callee == null || callee.refusal != null && (!callee.inlinableWhereUnrefused() || !session.partialCallees
        || virtual || session.trialNesting >= MAX_NESTING)) {
      return Decision.CALL;
    }
    if (virtual || session.trialNesting >= MAX_NESTING) {
      return Decision.INLINE;
    }
    final List<Object> key = List.of(callee, Frame.entryKey(args), s.kills);
    final Decision memo = session.trials.decisions.get(key);
    if (memo != null) {
      return memo;
    }
    // While the trial runs, a recursive call of the same pattern is called (it could not fold further).
    session.trials.decisions.put(key, Decision.CALL);
    // Inlining on an unknown receiver adds its null check (three instructions).
    final int nullCheck = !target.isStatic() && args[0] instanceof Unknown ? 3 : 0;
    final boolean[] foldedQuasiInvariant = new boolean[1];
    final int[] absorbed = new int[1];
    final int trial = trialSize(callee, target, args, s.kills, foldedQuasiInvariant, absorbed);
    final int size = trial < 0 ? -1 : trial + nullCheck;
    final int callCost = args.length + 2;
    // Net of the call it replaces, inlining adds size - callCost instructions; the known arguments removed
    // callee.insns.length - size from the callee and from the callees the trial inlined in turn: the code a call
    // would run, which for a tree walked on known nodes (an interpreter on a known program) is mostly those
    // callees, not the callee's own body. Inlining pays when it removes at least twice what it adds: what it folds
    // beyond that is mostly a test on a constant, which the JIT also folds where it inlines the called original,
    // while every instruction added stays in the residual code. (Methods smaller, seed 1, requiring half, then
    // twice: lang3 961, 1049; codec 94, 104; text 256, 263; Guava 375, 382; collections4 337, 346; math3 496, 521;
    // JDK 82, 82. Counting the callee's own body only, twice gave 1066, 107, 264, 384, 352, 531, 82, but the
    // interpreter of InterpreterBenchmark then kept every node's eval as a call.)
    final int added = size - callCost - SLACK;
    final int folded = callee.insns.length + absorbed[0] - size;
    final Decision d = size >= 0 && (added <= 0 || known && folded > 0 && folded >= 2 * added
        || foldedQuasiInvariant[0]) ? Decision.INLINE : Decision.CALL;
    session.trials.decisions.put(key, d);
    return d;
  }

  /**
   * Specializes the callee alone and returns its residual size, or -1 when it cannot be specialized; sets
   * {@code foldedQuasiInvariant[0]} when the trial folded a read of a declared quasi-invariant and
   * {@code absorbed[0]} to the instructions of the callees it inlined.
   */
  private int trialSize(final MethodFacts callee, final ResolvedMethod target, final Value[] args,
      final HeapKills kills, final boolean[] foldedQuasiInvariant, final int[] absorbed) {
    final Session trial = ev.session.trial();
    final Type[] parameters = Type.getArgumentTypes(target.desc());
    int slots = 0;
    for (int i = 0; i < args.length; i++) {
      if (!(args[i] instanceof Known)) {
        slots += args[i].category();
      }
    }
    final PartialEvaluator child = new PartialEvaluator(trial, ev.budgets, slots);
    final Frame frame = Frame.enter(callee);
    int slot = 0;
    int parameter = 0;
    for (int i = 0; i < args.length; i++) {
      final Value v;
      if (args[i] instanceof Known k) {
        v = k;
      } else {
        final Kind kind = target.isStatic() || i > 0 ? Kind.of(parameters[target.isStatic() ? i : i - 1])
            : Kind.REF;
        v = new Unknown(kind, parameter);
        parameter += kind.category();
      }
      frame.store(slot, v);
      slot += v.category();
    }
    frame.entryKey = Frame.entryKey(args);
    try {
      child.run(new State(new Frame[] {frame, null, null, null}, 1, kills));
    } catch (Settled e) {
      if (callee.refusal != null) {
        // The rest of the callee, not evaluated, might reach an instruction it is refused for.
        return -1;
      }
      trial.trials.settledEarly = true;
      foldedQuasiInvariant[0] = true;
      return 0;
    } catch (RuntimeException e) {
      // DontCheck(IllegalCatch): a callee that cannot be specialized (declined, too large) is simply called.
      return -1;
    }
    ResidualCleanup.run(child.residual.code, child.residual.handlers, trial.repository, trial.access.lookupClass());
    absorbed[0] = trial.counters.inlinedInstructions;
    foldedQuasiInvariant[0] = trial.dependencies.stream()
        .anyMatch(d -> d.kind() != org.quasi.specializer.Dependency.Kind.FINAL_FIELD);
    int size = count(child.residual.code);
    for (final var m : trial.extraMethods) {
      size += count(m.instructions);
    }
    return size;
  }

  private static int count(final InsnList code) {
    int n = 0;
    for (final var insn : code) {
      n += insn.getOpcode() >= 0 ? 1 : 0;
    }
    return n;
  }
}
