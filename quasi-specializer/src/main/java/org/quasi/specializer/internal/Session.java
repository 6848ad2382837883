package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.LinkedHashSet;
import java.util.Set;
import org.quasi.specializer.Dependency;

/**
 * What one specialization request knows beyond the abstract state: the caller's access, the class repository, the
 * quasi-invariant declarations, and what it learns along the way (dependencies, initialized classes).
 */
final class Session {
  final MethodHandles.Lookup lookup;
  final ClassRepository repository;
  final AccessPolicy access;
  final CalleeScreen screen;
  final Set<Field> quasiInvariants;
  final boolean foldFinals;
  /** Which JDK packages callees may be specialized from. */
  final org.quasi.specializer.JdkPolicy jdkPolicy;
  /** Field reads whose value the caller read and compares (set once by the engine, before evaluating). */
  FieldAssumptions assumptions = FieldAssumptions.NONE;
  /**
   * For a replacement (the interface's method takes every argument), which arguments it takes that the residual code
   * ignores (the known ones); null when it takes the unknown ones only.
   */
  boolean[] ignoredArguments;
  final Set<Dependency> dependencies = new LinkedHashSet<>();
  final Set<Class<?>> initialized = PartialEvaluator.newInitializedSet();
  /** javac switch-map arrays folded so far ({@link SwitchMaps}), by identity. */
  final Set<Object> switchMaps = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Known objects the hidden class loads as constants, shared by all its methods, and their indexes. */
  final java.util.List<Object> classData = new java.util.ArrayList<>();
  final java.util.Map<Object, Integer> classDataIndex = new java.util.IdentityHashMap<>();
  /** What all the evaluators of this request did. */
  final PartialEvaluator.Counters counters = new PartialEvaluator.Counters();
  /** Specialized residual methods of callees, by callee and known-argument pattern: their name. */
  final java.util.Map<java.util.List<Object>, String> specializedMethods = new java.util.HashMap<>();
  /** The residual methods besides the entry's, in the order they were made. */
  final java.util.List<org.objectweb.asm.tree.MethodNode> extraMethods = new java.util.ArrayList<>();
  /**
   * Loop headers, as (method facts, instruction index), that are kept rolled: their iterations folded too little to
   * be worth unrolling ({@link LoopControl#fruitless}). Shared with trial sessions, and kept by {@link #reset}: the
   * engine evaluates again when an evaluation added to it.
   */
  java.util.Set<java.util.List<Object>> rolled = new java.util.HashSet<>();
  /**
   * Whether callees refused for some of their instructions may be inlined where a trial reached none of them
   * ({@link MethodFacts#refusedInstructions}); kept by {@link #reset}. The engine evaluates again without when the
   * request's own evaluation reached one anyway ({@link #refusedReached}).
   */
  boolean partialCallees = true;
  /** Whether this session's own evaluation (not a trial's) reached an instruction its method was refused for. */
  boolean refusedReached;
  /** Variants created by all evaluators. */
  int variants;
  /** Inlining trials of this request, shared with the trial sessions ({@link InliningPolicy}). */
  InliningPolicy.Memo trials = new InliningPolicy.Memo();
  /** How many trials this session is nested in (0 for the request's own session). */
  int trialNesting;
  /**
   * Strings the evaluated code loads as constants ({@code ldc}), interned as the JVM interns them: residual code may
   * load these with {@code ldc}, any other known string only from class data. Asking whether a string from the heap
   * is interned would intern it, and change what the program's own string constants are.
   */
  java.util.Set<Object> constantStrings = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /**
   * What evaluation learns from the heap, for a template ({@link HeapTrace#OFF} when the request keeps none); shared
   * with trial sessions and kept by {@link #reset}.
   */
  HeapTrace trace = HeapTrace.OFF;

  /** Returns a session for an inlining trial: same request, nothing recorded shared except the trials' memo. */
  Session trial() {
    final Session t = new Session(lookup, repository, quasiInvariants, foldFinals, jdkPolicy);
    t.initialized.addAll(initialized);
    t.trials = trials;
    t.rolled = rolled;
    t.partialCallees = partialCallees;
    // A trial must see what the request assumes, or it misjudges what inlining a callee that reads it folds.
    t.assumptions = assumptions;
    t.trialNesting = trialNesting + 1;
    t.trace = trace;
    t.constantStrings = constantStrings;
    return t;
  }

  /** Forgets everything learnt by a specialization attempt, before trying again with other budgets. */
  void reset() {
    reset(true);
  }

  /**
   * Forgets everything learnt by a specialization attempt, before trying again; {@code budgetCut} tells whether
   * with smaller budgets (the summary then says the budget was exceeded).
   */
  void reset(final boolean budgetCut) {
    dependencies.clear();
    classData.clear();
    classDataIndex.clear();
    specializedMethods.clear();
    extraMethods.clear();
    variants = 0;
    trials = new InliningPolicy.Memo();
    counters.reset(budgetCut);
  }

  Session(final MethodHandles.Lookup lookup, final ClassRepository repository, final Set<Field> quasiInvariants,
      final boolean foldFinals, final org.quasi.specializer.JdkPolicy jdkPolicy) {
    this.jdkPolicy = jdkPolicy;
    this.lookup = lookup;
    this.repository = repository;
    this.access = AccessPolicy.of(lookup);
    this.screen = new CalleeScreen(repository, access);
    this.quasiInvariants = quasiInvariants;
    this.foldFinals = foldFinals;
  }
}
