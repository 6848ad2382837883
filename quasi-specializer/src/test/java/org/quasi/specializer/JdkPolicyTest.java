package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** JDK methods are called by default; a policy naming their package lets them be specialized into. */
class JdkPolicyTest {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  /**
   * {@code return Integer.divideUnsigned(x, 7);}: with the divisor known, inlining pays (InliningPolicy), as the
   * divisor's branches and conversions fold.
   */
  static int week(final int x) {
    return Integer.divideUnsigned(x, 7);
  }

  @Test
  void byDefaultJdkMethodsAreCalled() throws Exception {
    final ResidualCode r = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "week", int.class).residual();
    assertSome(r, "INVOKESTATIC");
  }

  @Test
  void aListedPackageIsSpecializedInto() throws Exception {
    final ResidualCode r = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "week", int.class)
        .jdkPolicy(JdkPolicy.specializeInto("java.lang")).residual();
    assertThat(r.dump()).doesNotContain("divideUnsigned");
    assertThat(r.summary().callsInlined()).isPositive();
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
    final IntUnaryOperator f = Specializer.of(LOOKUP).method(JdkPolicyTest.class, "week", int.class)
        .jdkPolicy(JdkPolicy.specializeInto("java.lang")).as(IntUnaryOperator.class).specialize().function();
    assertThat(f.applyAsInt(x)).isEqualTo(week(x));
  }
}
