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

  /** Named by a signature of {@link Partial}; the loader of {@link #unlistableMethodsAreNamed} cannot find it. */
  public static final class Missing {
  }

  /** A class whose methods reflection cannot list once {@link Missing} is gone. */
  public static final class Partial {
    public static int one() {
      return 1;
    }

    public static int take(final Missing m) {
      return m == null ? 0 : 1;
    }
  }

  /** {@code return Partial.one() + 1;} */
  public static final class UsesPartial {
    public static int call() {
      return Partial.one() + 1;
    }
  }

  /**
   * A callee in a class whose methods reflection cannot list (a signature names a class missing from the class path:
   * spring-core's {@code DataBufferUtils} without reactive-streams) does not resolve, and the decline says why, not
   * only that it does not.
   */
  @Test
  void unlistableMethodsAreNamed() throws Exception {
    final java.net.URL classes = DeclineTest.class.getProtectionDomain().getCodeSource().getLocation();
    final String missing = Missing.class.getName();
    try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {classes},
        ClassLoader.getPlatformClassLoader()) {
      @Override
      protected Class<?> findClass(final String name) throws ClassNotFoundException {
        if (name.equals(missing)) {
          throw new ClassNotFoundException(name);
        }
        return super.findClass(name);
      }
    }) {
      final Class<?> uses = loader.loadClass(UsesPartial.class.getName());
      assertThat((Object) uses).isNotEqualTo(UsesPartial.class);
      assertThat(uses.getMethod("call").invoke(null)).as("the JVM resolves it").isEqualTo(2);
      assertThatThrownBy(() -> Specializer.of(MethodHandles.privateLookupIn(uses, MethodHandles.lookup()))
          .method(uses, "call").residual())
          .isInstanceOfSatisfying(SpecializationDeclined.class, d -> assertThat(d.reason()).isEqualTo("method "
              + Partial.class.getName().replace('.', '/') + ".one()I does not resolve: the methods of "
              + Partial.class.getName() + " cannot be listed (java.lang.NoClassDefFoundError: "
              + missing + ")"));
    }
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
