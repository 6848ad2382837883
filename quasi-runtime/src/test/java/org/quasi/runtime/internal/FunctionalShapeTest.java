package org.quasi.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodType;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

class FunctionalShapeTest {

  /** A functional interface with a default method and a redeclared Object method. */
  interface WithDefaults {
    long apply(long x, double y);

    default long twice(final long x) {
      return apply(apply(x, 0), 0);
    }

    @Override
    String toString();
  }

  /** Narrows the return type of an inherited abstract method: still one method. */
  interface Narrowing extends Function<String, Object> {
    @Override
    Object apply(String s);
  }

  /** Turns the inherited abstract method into a default one, adding another abstract method. */
  interface Replaced extends IntUnaryOperator {
    @Override
    default int applyAsInt(final int x) {
      return (int) other(x);
    }

    long other(long x);
  }

  @Test
  void findsTheOneAbstractMethodOfAPrimitiveInterface() {
    final FunctionalShape shape = FunctionalShape.of(IntUnaryOperator.class);
    assertThat(shape.method().getName()).isEqualTo("applyAsInt");
    assertThat(shape.methodType()).isEqualTo(MethodType.methodType(int.class, int.class));
  }

  @Test
  void acceptsGenericInterfacesInErasedForm() {
    assertThat(FunctionalShape.of(Function.class).methodType())
        .isEqualTo(MethodType.methodType(Object.class, Object.class));
  }

  @Test
  void ignoresDefaultsAndObjectMethods() {
    assertThat(FunctionalShape.of(WithDefaults.class).methodType())
        .isEqualTo(MethodType.methodType(long.class, long.class, double.class));
    assertThat(FunctionalShape.of(Comparator.class).method().getName()).isEqualTo("compare");
  }

  @Test
  void aDefaultOverridingTheInheritedMethodLeavesTheNewOne() {
    assertThat(FunctionalShape.of(Replaced.class).method().getName()).isEqualTo("other");
  }

  @Test
  void mergesAnAbstractMethodRedeclaredWithTheSameParameters() {
    assertThat(FunctionalShape.of(Narrowing.class).method().getName()).isEqualTo("apply");
  }

  @Test
  void anInterfaceIsSearchedOnceAndARefusalNamesEachUser() {
    assertThat(FunctionalShape.of(IntUnaryOperator.class)).isSameAs(FunctionalShape.of(IntUnaryOperator.class,
        "an entry point"));
    assertThatThrownBy(() -> FunctionalShape.of(List.class))
        .hasMessageEndingWith(", a replugger needs exactly one");
    assertThatThrownBy(() -> FunctionalShape.of(List.class, "an entry point"))
        .hasMessageEndingWith(", an entry point needs exactly one");
    assertThatThrownBy(() -> FunctionalShape.of(String.class, "an entry point"))
        .hasMessage("java.lang.String is not a functional interface: it is not an interface");
  }

  @Test
  void refusesAnInterfaceWithManyAbstractMethods() {
    assertThatThrownBy(() -> FunctionalShape.of(List.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("java.util.List is not a functional interface: it has ")
        .hasMessageContaining("add")
        .hasMessageEndingWith("a replugger needs exactly one");
  }

  @Test
  void refusesAClassAndAnAnnotation() {
    assertThatThrownBy(() -> FunctionalShape.of(String.class))
        .hasMessage("java.lang.String is not a functional interface: it is not an interface");
    assertThatThrownBy(() -> FunctionalShape.of(Deprecated.class))
        .hasMessage("java.lang.Deprecated is not a functional interface: it is not an interface");
  }

  @Test
  void checksTargets() {
    final FunctionalShape shape = FunctionalShape.of(IntUnaryOperator.class);
    final IntUnaryOperator id = x -> x;
    assertThat(shape.<IntUnaryOperator>checkTarget(id)).isSameAs(id);
    assertThatThrownBy(() -> shape.checkTarget("not a function"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot plug java.lang.String as a java.util.function.IntUnaryOperator: it does not implement"
            + " that interface");
    assertThatThrownBy(() -> shape.checkTarget(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cannot plug null as a java.util.function.IntUnaryOperator");
  }
}
