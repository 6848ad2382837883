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
