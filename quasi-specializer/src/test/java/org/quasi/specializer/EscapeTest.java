package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusEscape;

/**
 * Escape analysis: allocations that do not escape the specialized region disappear from the residual code, and the
 * residual code still behaves like the original where they do escape.
 */
class EscapeTest {
  private static final List<Corpus.Case> CASES = Corpus.cases().stream()
      .filter(c -> c.method().getDeclaringClass() == CorpusEscape.class).toList();

  @Property(tries = 300)
  void residualBehavesLikeOriginal(@ForAll @IntRange(min = 0, max = 10_000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final Corpus.Case c = CASES.get(which % CASES.size());
    Differential.assertAgrees(c, seed, mask);
  }

  @Property(tries = 100)
  void residualBehavesLikeOriginalWithTinyBudgets(@ForAll @IntRange(min = 0, max = 10_000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final Corpus.Case c = CASES.get(which % CASES.size());
    Differential.assertAgrees(c, seed, mask, new Budgets(1, 2, 1, 200));
  }

  private static SpecializationRequest<Object> method(final String name, final Class<?>... types)
      throws IllegalAccessException {
    return Specializer.of(MethodHandles.privateLookupIn(CorpusEscape.class, Corpus.LOOKUP))
        .method(CorpusEscape.class, name, types);
  }

  /**
   * A loop kept rolled lifts the locals it writes at its header; a virtual array one of them holds is held by
   * another local too, which must be lifted with it: the residual code then writes and reads one real array.
   */
  @Test
  void liftingOneAliasOfAVirtualArrayAtALoopHeaderLiftsEveryAlias() throws Exception {
    final java.util.function.IntUnaryOperator across = method("aliasedAcrossALoop", int.class)
        .as(java.util.function.IntUnaryOperator.class).specialize().function();
    for (final int n : new int[] {0, 1, 5, 101, 200}) {
      assertThat(across.applyAsInt(n)).as("n = %d", n).isEqualTo(CorpusEscape.aliasedAcrossALoop(n));
    }
    final java.util.function.IntUnaryOperator branching = method("aliasedAcrossABranchingLoop", int.class)
        .as(java.util.function.IntUnaryOperator.class).specialize().function();
    for (final int x : new int[] {-1, 0, 1, 2, 5}) {
      assertThat(branching.applyAsInt(x)).as("x = %d", x)
          .isEqualTo(CorpusEscape.aliasedAcrossABranchingLoop(x));
    }
  }

  /** {@code new Point(a, b).x() + .y()}: no allocation, no call, one addition. */
  @Test
  void recordThatDoesNotEscapeDisappears() throws Exception {
    final ResidualCode r = method("pointSum", int.class, int.class).residual();
    Residuals.assertExactly(r, "ILOAD", "ILOAD", "IADD", "IRETURN");
  }

  @Test
  void objectsThroughCallsAndConstructorChainsDisappear() throws Exception {
    assertNone(method("dot", int.class, int.class, int.class).residual(), "NEW", "INVOKESPECIAL", "INVOKEVIRTUAL");
    assertNone(method("chained", long.class, int.class).residual(), "NEW", "INVOKESPECIAL", "INVOKEVIRTUAL");
    assertNone(method("joined", int.class, int.class).residual(), "NEW");
    assertNone(method("loopAllocations", int.class).known(0, 4).residual(), "NEW");
  }

  @Test
  void boxesVarargsAndArraysDisappear() throws Exception {
    assertNone(method("boxes", int.class, int.class).residual(), "INVOKESTATIC", "INVOKEVIRTUAL");
    assertNone(method("varargs", int.class, int.class, int.class).residual(), "NEWARRAY", "IALOAD", "IASTORE");
    final ResidualCode arrays = method("arrays", int.class, int.class).known(1, 2).residual();
    assertNone(arrays, "NEWARRAY", "IALOAD", "IASTORE");
    final ResidualCode identity = method("identity", int.class, Object.class).residual();
    assertNone(identity, "NEW", "IF_ACMPEQ", "IF_ACMPNE", "INSTANCEOF");
  }

  /** Escaping objects are allocated where they escape, once, and only there. */
  @Test
  void escapingObjectsAreMaterialized() throws Exception {
    final ResidualCode stored = method("escapesIntoHolder", CorpusEscape.Holder.class, int.class).residual();
    assertThat(Residuals.opcodes(stored).stream().filter("NEW"::equals)).hasSize(1);
    assertSome(method("escapesByReturn", int.class, int.class).residual(), "NEW");
    // Boxes may be cached instances: their identity comparison stays in the residual code.
    assertSome(method("boxIdentity", int.class, int.class).residual(), "IF_ACMPNE");
    // A constructor that checks its argument is not virtual.
    assertSome(method("thrown", int.class).residual(), "NEW");
    // An unknown index makes the array real.
    assertSome(method("arrays", int.class, int.class).residual(), "NEWARRAY");
  }

  /**
   * Calls through known lambdas become calls of their implementation methods: direct calls where inlining would
   * not make the code smaller, inlined code where the captured values fold.
   */
  @Test
  void knownLambdasAreCalledDirectly() throws Exception {
    final ResidualCode captured = method("lambdaCapture", int.class, int.class).residual();
    assertNone(captured, "INVOKEDYNAMIC", "INVOKEINTERFACE");
    assertThat(captured.dump()).contains("INVOKESTATIC org/quasi/specializer/corpus/CorpusEscape.lambda$");
    final ResidualCode folded = method("lambdaCapture", int.class, int.class).known(0, 2).known(1, 5).residual();
    Residuals.assertExactly(folded, "BIPUSH", "IRETURN");
    assertNone(method("defaultMethod", int.class, int.class).residual(), "INVOKEDYNAMIC", "INVOKEINTERFACE");
    assertNone(method("methodReferences", String.class, int.class).residual(), "INVOKEDYNAMIC",
        "INVOKEINTERFACE");
    assertNone(method("chosenLambda", int.class, int.class).residual(), "INVOKEDYNAMIC", "INVOKEINTERFACE");
  }

  /** A lambda that escapes keeps its invokedynamic with its captured values. */
  @Test
  void escapingLambdaKeepsItsInvokedynamic() throws Exception {
    final ResidualCode r = method("escapingLambda", CorpusEscape.Holder.class, String.class, int.class).residual();
    assertThat(Residuals.opcodes(r).stream().filter("INVOKEDYNAMIC"::equals)).hasSizeLessThanOrEqualTo(3);
    assertNone(r, "INVOKEINTERFACE");
  }
}
