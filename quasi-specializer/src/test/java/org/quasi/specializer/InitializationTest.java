package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Class initialization happens where the original would have done it: specializing runs no static initializer, and
 * the residual code initializes the class at its first use, as the original call does.
 */
class InitializationTest {

  /** Records which static initializers ran, in order. */
  static final List<String> LOG = new ArrayList<>();

  /** A concrete class with a static initializer: {@code static int twice(int x) { return x * 2 + BIAS; }}. */
  static final class Concrete {
    static final int BIAS;

    static {
      LOG.add("Concrete");
      BIAS = 1;
    }

    static int twice(final int x) {
      return x * 2 + BIAS;
    }
  }

  /** An abstract class: it cannot be allocated, so the residual code reads its static field to initialize it. */
  abstract static class Abstract {
    static final List<String> NAMES = new ArrayList<>();

    static {
      LOG.add("Abstract");
      NAMES.add("x");
    }

    static int count(final int x) {
      return NAMES.size() + x;
    }
  }

  /** An abstract class with no static field at all: the residual code asks its own lookup to initialize it. */
  abstract static class Bare {
    static {
      LOG.add("Bare");
    }

    static int plus(final int x) {
      return x + 3;
    }
  }

  /** An abstract class whose initializer throws, twice over: the first use fails one way, the next another. */
  abstract static class Failing {
    static {
      LOG.add("Failing");
      if (LOG.size() > 0) {
        throw new IllegalStateException("no");
      }
    }

    static int id(final int x) {
      return x;
    }
  }

  private static Class<?> uninitialized(final Class<?> c) throws ClassNotFoundException {
    return Class.forName(c.getName(), false, c.getClassLoader());
  }

  @Test
  void concreteClassIsInitializedByTheResidualCodeNotBySpecializing() throws Exception {
    final Class<?> c = uninitialized(Concrete.class);
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(c, "twice", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(LOG).doesNotContain("Concrete");
    assertThat(s.function().applyAsInt(5)).isEqualTo(11);
    assertThat(LOG).contains("Concrete");
  }

  @Test
  void abstractClassIsInitializedThroughAStaticField() throws Exception {
    final Class<?> c = uninitialized(Abstract.class);
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(c, "count", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(LOG).doesNotContain("Abstract");
    assertThat(s.dump()).contains("GETSTATIC org/quasi/specializer/InitializationTest$Abstract.NAMES");
    assertThat(s.function().applyAsInt(2)).isEqualTo(3);
    assertThat(LOG).contains("Abstract");
  }

  @Test
  void abstractClassWithoutStaticFieldsIsInitializedThroughTheResidualClassLookup() throws Exception {
    final Class<?> c = uninitialized(Bare.class);
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(c, "plus", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(LOG).doesNotContain("Bare");
    assertThat(s.dump()).contains("ensureInitialized");
    assertThat(s.function().applyAsInt(2)).isEqualTo(5);
    assertThat(LOG).containsOnlyOnce("Bare");
    assertThat(s.function().applyAsInt(4)).isEqualTo(7);
    assertThat(LOG).containsOnlyOnce("Bare");
  }

  @Test
  void aFailingInitializerFailsInTheResidualCodeAsInTheOriginal() throws Exception {
    final Class<?> c = uninitialized(Failing.class);
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(c, "id", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(LOG).doesNotContain("Failing");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.function().applyAsInt(1))
        .isInstanceOf(ExceptionInInitializerError.class).hasCauseInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.function().applyAsInt(1))
        .isInstanceOf(NoClassDefFoundError.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Failing.id(1)).isInstanceOf(NoClassDefFoundError.class);
  }
}
