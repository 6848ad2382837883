package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.function.IntBinaryOperator;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Which calls are specialized: a large callee with only unknown arguments stays a call. */
class CallPolicyTest {

  /** A callee of more than {@code SMALL_CALLEE} instructions: a digit sum with a sign rule. */
  static int digitScore(final int value, final int base) {
    int v = value < 0 ? -value : value;
    int score = 0;
    int weight = 1;
    while (v > 0) {
      score += (v % base) * weight;
      v /= base;
      weight = weight == 3 ? 1 : weight + 1;
    }
    return value < 0 ? -score : score;
  }

  /** {@code return digitScore(x, base) + 1;} */
  static int scorePlusOne(final int x, final int base) {
    return digitScore(x, base) + 1;
  }

  /** {@code return digitScore(x, 10);}: the base is a constant, so the callee is worth specializing. */
  static int decimalScore(final int x) {
    return digitScore(x, 10);
  }

  /** A guard on {@code k}, then arithmetic on both arguments: a known {@code k} removes the guard only. */
  static int scaled(final int k, final int x) {
    if (k < 0) {
      return -1;
    }
    return x * k + x / k - (x ^ k);
  }

  /** {@code return scaled(3, x);} */
  static int scaledBy3(final int x) {
    return scaled(3, x);
  }

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  @Test
  void largeCalleeWithUnknownArgumentsStaysACall() throws Exception {
    final Specialization<IntBinaryOperator> s = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "scorePlusOne", int.class, int.class).as(IntBinaryOperator.class)
        .specialize();
    assertThat(s.dump()).contains("INVOKESTATIC org/quasi/specializer/CallPolicyTest.digitScore (II)I");
    assertThat(s.summary().callsInlined()).isZero();
    assertThat(s.function().applyAsInt(-1234, 10)).isEqualTo(scorePlusOne(-1234, 10));
  }

  /** The known base removes no branch or call of {@code digitScore}: inlining would only copy it, so it is called. */
  @Test
  void calleeWhoseKnownArgumentFoldsNothingStaysACall() throws Exception {
    final Specialization<IntUnaryOperator> s = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "decimalScore", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(s.summary().callsInlined()).isZero();
    assertThat(s.dump()).contains("BIPUSH 10", "CallPolicyTest.digitScore");
    assertThat(s.function().applyAsInt(987)).isEqualTo(decimalScore(987));
  }

  /**
   * The known {@code k} folds the guard (4 instructions) but inlining would add 8 net of the call (the arithmetic
   * stays): folding less than twice what it adds, the callee stays a call, and the residual code stays the call's 4
   * instructions instead of 12.
   */
  @Test
  void calleeThatFoldsLessThanTwiceWhatItAddsStaysACall() throws Exception {
    final Specialization<IntUnaryOperator> s = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "scaledBy3", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(s.summary().callsInlined()).isZero();
    assertThat(s.dump()).contains("ICONST_3", "INVOKESTATIC org/quasi/specializer/CallPolicyTest.scaled (II)I");
    assertThat(s.summary().instructionsAfter()).isEqualTo(4);
    for (final int x : new int[] {-7, 0, 5, Integer.MAX_VALUE}) {
      assertThat(s.function().applyAsInt(x)).isEqualTo(scaledBy3(x));
    }
  }

  /** With the value known too, the callee folds to its result: it is inlined, and no call is left. */
  @Test
  void calleeThatFoldsIsInlined() throws Exception {
    final Specialization<IntSupplier> s = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "decimalScore", int.class).known(0, 987).as(IntSupplier.class).specialize();
    assertThat(s.summary().callsInlined()).isEqualTo(1);
    assertThat(s.dump()).doesNotContain("digitScore");
    assertThat(s.function().getAsInt()).isEqualTo(decimalScore(987));
  }

  @Property(tries = 50)
  void bothPoliciesBehaveLikeTheOriginal(@ForAll final int x, @ForAll @IntRange(min = 2, max = 16) final int base)
      throws Exception {
    final IntBinaryOperator residualCall = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "scorePlusOne", int.class, int.class).as(IntBinaryOperator.class)
        .specialize().function();
    final IntUnaryOperator inlined = Specializer.of(LOOKUP)
        .method(CallPolicyTest.class, "scorePlusOne", int.class, int.class).known(1, base)
        .as(IntUnaryOperator.class).specialize().function();
    assertThat(residualCall.applyAsInt(x, base)).isEqualTo(scorePlusOne(x, base));
    assertThat(inlined.applyAsInt(x)).isEqualTo(scorePlusOne(x, base));
  }
}
