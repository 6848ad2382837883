package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.IntFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** JDK methods are called by default; a policy naming their package lets them be specialized into. */
class JdkPolicyTest {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  /**
   * {@code return Integer.toString(x, 10);}: with the radix known, inlining pays (InliningPolicy), as the radix's
   * tests fold and every radix's code but the decimal call goes.
   */
  static String decimal(final int x) {
    return Integer.toString(x, 10);
  }

  @Test
  void byDefaultJdkMethodsAreCalled() throws Exception {
    final ResidualCode r = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "decimal", int.class).residual();
    assertThat(r.dump()).contains("java/lang/Integer.toString (II)");
  }

  @Test
  void aListedPackageIsSpecializedInto() throws Exception {
    final ResidualCode r = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "decimal", int.class)
        .jdkPolicy(JdkPolicy.specializeInto("java.lang")).residual();
    assertThat(r.dump()).doesNotContain("toString (II)").contains("java/lang/Integer.toString (I)");
    assertThat(r.summary().callsInlined()).isPositive();
    assertThat(r.summary().branchesFolded()).isPositive();
  }

  /** {@code return Math.pow(x, y);}, as lucene's {@code DistributionSPL.score} computes it. */
  static double power(final double x, final double y) {
    return Math.pow(x, y);
  }

  /**
   * {@code Math.pow}'s bytecode calls {@code StrictMath.pow}, but HotSpot runs its own intrinsic, which the
   * specification allows to differ: {@code 0.25^(5/6)} is 0.3149802624737183 by the call and 0.31498026247371824 by
   * the bytecode. With {@code java.lang} specialized into, the residual code inlined the bytecode and returned the
   * latter (lucene 9.12.3 {@code DistributionSPL.score} under {@code --jdk-inline 'java.util.*,java.lang'}: a
   * divergence in the last digit). Such methods are called.
   */
  @Test
  void mathMethodsTheJvmRunsAsIntrinsicsAreCalledNotSpecializedInto() throws Exception {
    final double y = 1 - 1 / 6.0;
    final java.util.function.DoubleUnaryOperator f = Specializer.of(LOOKUP)
        .method(JdkPolicyTest.class, "power", double.class, double.class).known(0, 0.25)
        .jdkPolicy(JdkPolicy.specializeInto("java.lang")).as(java.util.function.DoubleUnaryOperator.class)
        .specialize().function();
    assertThat(f.applyAsDouble(y)).isEqualTo(power(0.25, y));
    assertThat(Specializer.of(LOOKUP).method(JdkPolicyTest.class, "power", double.class, double.class)
        .known(0, 0.25).jdkPolicy(JdkPolicy.specializeInto("java.lang")).residual().dump())
        .contains("java/lang/Math.pow").doesNotContain("StrictMath");
  }

  /** The same method as the request's own (validating {@code java.lang.Math}) is declined, saying why. */
  @Test
  void aMathMethodTheJvmRunsAsAnIntrinsicIsDeclinedAsTheRequest() {
    assertThatThrownBy(() -> Specializer.of(LOOKUP).method(Math.class, "exp", double.class).residual())
        .isInstanceOf(SpecializationDeclined.class)
        .hasMessageContaining("java.lang.Math.exp may compute other results than its bytecode");
  }

  @Test
  void packagePatterns() {
    assertThat(JdkPolicy.CALL_ONLY.specializesInto(Math.class)).isFalse();
    assertThat(JdkPolicy.CALL_ONLY.specializesInto(JdkPolicyTest.class)).isTrue();
    assertThat(JdkPolicy.specializeInto("java.util.*").specializesInto(java.util.ArrayList.class)).isTrue();
    assertThat(JdkPolicy.specializeInto("java.util.*").specializesInto(
        java.util.concurrent.ConcurrentHashMap.class)).isTrue();
    assertThat(JdkPolicy.specializeInto("java.util").specializesInto(
        java.util.concurrent.ConcurrentHashMap.class)).isFalse();
    assertThat(JdkPolicy.specializeInto("java.util.*").specializesInto(Math.class)).isFalse();
    assertThatThrownBy(() -> JdkPolicy.specializeInto("java/util")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not a package name");
  }

  @Property(tries = 50)
  void inlinedJdkCodeBehavesLikeTheCall(@ForAll final int x) throws Exception {
    final IntFunction<?> f = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "decimal", int.class)
        .jdkPolicy(JdkPolicy.specializeInto("java.lang")).as(IntFunction.class).specialize().function();
    assertThat(f.apply(x)).isEqualTo(decimal(x));
  }
}
