package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusCalls;

/** The specializer declines precisely — method, instruction, reason — instead of emitting doubtful code. */
class DeclineTest {

  /** {@code return MethodHandles.lookup().lookupClass();}: its answer depends on the calling class. */
  static Class<?> whoCalls() {
    return MethodHandles.lookup().lookupClass();
  }

  /** {@code return whoCalls();} */
  static Class<?> throughCallee() {
    return whoCalls();
  }

  @Test
  void callerSensitiveCallsAreNotMovedIntoTheResidualClass() throws Exception {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.lookup()).method(DeclineTest.class, "whoCalls").residual())
        .isInstanceOfSatisfying(SpecializationDeclined.class, d -> assertThat(d.reason())
            .contains("caller-sensitive java.lang.invoke.MethodHandles.lookup()"));
    // As a callee it is called, so it still sees its own class.
    final java.util.function.Supplier<?> f = Specializer.of(MethodHandles.lookup())
        .method(DeclineTest.class, "throughCallee").as(java.util.function.Supplier.class).specialize().function();
    assertThat(f.get()).isEqualTo(DeclineTest.class);
  }

  @Test
  void nativeMethodsAreDeclined() {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.lookup()).method(Object.class, "hashCode").residual())
        .isInstanceOfSatisfying(SpecializationDeclined.class,
            d -> assertThat(d.reason()).isEqualTo("native method"));
  }

  /**
   * {@code helpers} calls private {@code clamp}: a lookup in another class of the package cannot reach it, so
   * neither may residual code.
   */
  @Test
  void accessTheLookupDoesNotGrantIsDeclined() {
    assertThatThrownBy(() -> Specializer.of(Corpus.LOOKUP)
        .method(CorpusCalls.class, "helpers", int.class, int.class).residual())
        .isInstanceOfSatisfying(SpecializationDeclined.class, d -> {
          assertThat(d.reason()).contains("CorpusCalls.clamp(III)I is not accessible");
          assertThat(d.instructionIndex()).isGreaterThanOrEqualTo(0);
        });
  }

  @Test
  void anInaccessibleFunctionalInterfaceIsRefused() {
    assertThatThrownBy(() -> Specializer.of(Corpus.LOOKUP)
        .method(Math.class, "max", int.class, int.class).as(Hidden.class).specialize())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not accessible");
  }

  /** Package-private in another package than the lookup class. */
  interface Hidden {
    int apply(int a, int b);
  }

  @Test
  void aPublicLookupCannotDefineTheResidualClass() {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.publicLookup())
        .method(Math.class, "max", int.class, int.class).as(java.util.function.IntBinaryOperator.class)
        .specialize())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("full privilege");
  }
}
