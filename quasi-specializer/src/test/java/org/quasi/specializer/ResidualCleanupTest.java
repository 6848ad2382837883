package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.specializer.Residuals.assertExactly;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.opcodes;

import java.lang.invoke.MethodHandles;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusCleanup;
import org.quasi.specializer.corpus.Node;

/**
 * The residual clean-up on whole specializations: with nothing known, these corpus methods' residual code is no
 * longer than the original (the corpus runs them differentially in {@code CorpusCoverageTest} and
 * {@code CorpusPropertyTest}, with every split of known and unknown arguments).
 */
class ResidualCleanupTest {

  private static SpecializationRequest<Object> request(final String name, final Class<?>... parameters)
      throws Exception {
    return Specializer.of(MethodHandles.privateLookupIn(CorpusCleanup.class, Corpus.LOOKUP))
        .method(CorpusCleanup.class, name, parameters);
  }

  /**
   * {@code for (i = min(n, a.length) - 1; i >= 0; i--) h = 31 * h + a[i]} with n unknown: the loop is specialized
   * once (h = 0 is not peeled into a first iteration of its own), and the values computed in the body go straight
   * into the loop's locals.
   */
  @Test
  void countingDownLoopIsNotPeeledNorShuffled() throws Exception {
    final ResidualCode r = request("hashDown", int[].class, int.class).residual();
    assertThat(r.summary().loopIterationsUnrolled()).isZero();
    assertThat(Collections.frequency(opcodes(r), "IFLT")).isEqualTo(1);
    assertThat(Collections.frequency(opcodes(r), "IALOAD")).isEqualTo(1);
    assertNone(r, "SWAP");
    assertThat(r.summary().instructionsAfter()).isLessThanOrEqualTo(r.summary().instructionsBefore() + 3);
  }

  /**
   * Two {@code throw new IllegalArgumentException("a name is missing")}, one per argument: the residual code keeps
   * one copy of the throw, which the other check jumps to ({@code TailMerge}), and is shorter than the original.
   */
  @Test
  void identicalThrowsAreKeptOnce() throws Exception {
    final ResidualCode r = request("bothNamed", String.class, String.class).residual();
    assertThat(Collections.frequency(opcodes(r), "ATHROW")).isEqualTo(1);
    assertThat(Collections.frequency(opcodes(r), "NEW")).isEqualTo(1);
    assertThat(r.summary().instructionsAfter()).isLessThan(r.summary().instructionsBefore());
  }

  /**
   * {@code t = x * 7} returned on both paths of an unknown branch, the second path storing {@code u = x + 1} twice
   * first: the returns are one tail, and the second path, jumping back to it, still returns {@code x * 7} (its
   * {@code u} must not take {@code t}'s local).
   */
  @Test
  void aValueReadByAMergedTailKeepsItsLocal() throws Exception {
    final Specialization<CorpusCleanup.KeptAcrossAReturn> s = request("keptAcrossAReturn", boolean.class, int.class,
        int[].class).as(CorpusCleanup.KeptAcrossAReturn.class).specialize();
    for (final int x : new int[] {-7, 0, 3, 1 << 20}) {
      final int[] out = new int[2];
      assertThat(s.function().apply(false, x, out)).isEqualTo(x * 7);
      assertThat(out).containsExactly(x + 1, x + 1);
      assertThat(s.function().apply(true, x, out)).isEqualTo(x * 7);
    }
  }

  /** {@code r[i] = ...} in a loop with unknown control: the array store kills nothing that would split the loop. */
  @Test
  void loopStoringIntoAnArrayIsNotPeeled() throws Exception {
    final ResidualCode r = request("widen", int[].class).residual();
    assertThat(r.summary().loopIterationsUnrolled()).isZero();
    assertThat(Collections.frequency(opcodes(r), "IF_ICMPGE")).isEqualTo(1);
  }

  /** {@code i < a.length && i + 1 < a.length}: i is pushed first, as in the original; no swap, no temporaries. */
  @Test
  void operandsKeepTheirOrderWithoutSwaps() throws Exception {
    final ResidualCode r = request("below", int.class, int[].class).residual();
    assertExactly(r, "ILOAD", "ALOAD", "ARRAYLENGTH", "IF_ICMPGE", "ILOAD", "ICONST_1", "IADD", "ALOAD",
        "ARRAYLENGTH", "IF_ICMPGE", "ICONST_1", "IRETURN", "ICONST_0", "IRETURN");
  }

  /** {@code value(n) + x}, the accessor inlined: its field read is the null check, no {@code getClass} before it. */
  @Test
  void inlinedAccessorNeedsNoExplicitNullCheck() throws Exception {
    final ResidualCode r = request("valuePlus", Node.class, int.class).residual();
    assertExactly(r, "ALOAD", "GETFIELD", "ILOAD", "IADD", "IRETURN");
  }

  /**
   * {@code throw new IllegalArgumentException(Integer.toString(x))}: the exception is allocated before its message
   * is computed, as in the original, and the message goes straight to the constructor. (JDK 22 and later cannot
   * report the class initialized, so there the evaluator's order stays, after a trigger of the exception's class:
   * {@code Throwable} has a static initializer.)
   */
  @Test
  void allocationComesBeforeItsArgument() throws Exception {
    final ResidualCode r = request("half", int.class).residual();
    if (Runtime.version().feature() < 22) {
      assertThat(opcodes(r)).containsSubsequence("NEW", "DUP", "ILOAD", "INVOKESTATIC", "INVOKESPECIAL", "ATHROW");
      assertNone(r, "ASTORE");
    }
    assertThat(r.summary().instructionsAfter()).isLessThanOrEqualTo(r.summary().instructionsBefore()
        + (Runtime.version().feature() < 22 ? 0 : 4));
  }

  /** {@code Counted.twice(3) + Counted.twice(4)} folded: at most one trigger of Counted's initializer is left. */
  @Test
  void twoInlinedStaticCallsTriggerInitializationOnce() throws Exception {
    final ResidualCode r = request("twiceTwice", int.class, int.class).known(0, 3).known(1, 4).residual();
    assertThat(Collections.frequency(opcodes(r), "NEW")).isLessThanOrEqualTo(1);
    assertThat(opcodes(r)).endsWith("BIPUSH", "IRETURN");
  }
  /** A class nothing else uses, so never initialized here, and without static initializer. */
  static final class Fresh {
    final int tag;
    final String text;

    Fresh(final int tag, final String text) {
      this.tag = tag;
      this.text = text;
    }
  }

  static Fresh fresh(final int x) {
    return new Fresh(7, Integer.toString(x));
  }

  /**
   * {@code new Fresh(7, Integer.toString(x))}, Fresh never initialized but without static initializer: allocating it
   * runs nothing, so the allocation goes back before its arguments, the constant one with it, and the call's result
   * goes straight to the constructor (no temporary).
   */
  @Test
  void allocationOfAClassWithoutInitializerComesBeforeItsArguments() throws Exception {
    final ResidualCode r = Specializer.of(MethodHandles.lookup()).method(ResidualCleanupTest.class, "fresh",
        int.class).residual();
    assertExactly(r, "NEW", "DUP", "BIPUSH", "ILOAD", "INVOKESTATIC", "INVOKESPECIAL", "ARETURN");
  }
  /** An interface with a default method and an initializer that has an effect: the JVM runs it with its class. */
  interface Loud {
    /** Incremented by the interface's initializer. */
    int[] RUNS = {0};
    int INITIALIZED = ++RUNS[0];

    default int loudness() {
      return INITIALIZED;
    }
  }

  /** Without static initializer of its own, but initializing it initializes {@link Loud}. */
  static final class Quiet implements Loud {
    final String text;

    Quiet(final String text) {
      this.text = text;
    }
  }

  static Quiet quiet(final int x) {
    return new Quiet(Integer.toString(x));
  }

  /**
   * {@code new Quiet(Integer.toString(x))}, Quiet never initialized: it has no static initializer, but its interface
   * with a default method has one with an effect, which initializing Quiet runs (JVMS 5.5), so its allocation is not
   * an allocation alone: the residual code initializes Quiet where the original's {@code new} did, first.
   */
  @Test
  void allocationInitializingAnInterfaceKeepsItsTrigger() throws Exception {
    final ResidualCode r = Specializer.of(MethodHandles.lookup()).method(ResidualCleanupTest.class, "quiet",
        int.class).residual();
    assertThat(opcodes(r)).startsWith("NEW", "POP");
  }
  /**
   * {@code Arrays.binarySearch(a, 0, a.length, 5)}: the array's length, computed by the residual code after the
   * array and 0 were pushed, goes back among the operands in the original's order, with no temporary.
   */
  @Test
  void operandsKeepTheirOrderAroundAComputedOne() throws Exception {
    final ResidualCode r = request("search", int[].class, int.class).known(1, 5).residual();
    assertExactly(r, "ALOAD", "ICONST_0", "ALOAD", "ARRAYLENGTH", "ICONST_5", "INVOKESTATIC", "IRETURN");
  }
  /**
   * {@code !Arrays.asList(a).isEmpty()}: the negation of the boolean call is returned with an exclusive or, not
   * with a branch to two constant returns (what javac's {@code ifne; iconst_1; goto; iconst_0} became).
   */
  @Test
  void negatedBooleanCallIsReturnedWithoutBranches() throws Exception {
    final ResidualCode r = request("notEmpty", Object[].class).residual();
    assertExactly(r, "ALOAD", "INVOKESTATIC", "INVOKEINTERFACE", "ICONST_1", "IXOR", "IRETURN");
    assertThat(r.summary().instructionsAfter()).isLessThan(r.summary().instructionsBefore());
  }
  static Fresh both(final String s, final int x) {
    return new Fresh(s.length(), Integer.toString(x));
  }

  /**
   * {@code new Fresh(s.length(), Integer.toString(x))}: both arguments are computed into temporaries before the
   * allocation; it goes back before the first, the second's computation staying between the first and the
   * constructor call, as javac has it, and neither temporary is left.
   */
  @Test
  void allocationComesBeforeArgumentsComputedInTurn() throws Exception {
    final ResidualCode r = Specializer.of(MethodHandles.lookup()).method(ResidualCleanupTest.class, "both",
        String.class, int.class).residual();
    assertExactly(r, "NEW", "DUP", "ALOAD", "INVOKEVIRTUAL", "ILOAD", "INVOKESTATIC", "INVOKESPECIAL", "ARETURN");
  }
}
