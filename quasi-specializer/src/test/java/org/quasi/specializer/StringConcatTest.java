package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** String concatenation ({@code makeConcatWithConstants}) folds its known parts into the recipe. */
class StringConcatTest {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  /** {@code return "Hi " + name + " #" + n + (flag ? '!' : '?') + ratio + tail;} */
  static String greet(final String name, final int n, final boolean flag, final double ratio, final String tail) {
    return "Hi " + name + " #" + n + (flag ? '!' : '?') + ratio + tail;
  }

  /** {@code return "<" + o + ">";} (javac calls {@code String.valueOf(o)} first, then concatenates a string). */
  static String bracket(final Object o) {
    return "<" + o + ">";
  }

  /** Residual code of greet with name and n unknown. */
  public interface NameAndNumber {
    String apply(String name, int n);
  }

  @Test
  void allKnownPartsFoldIntoTheRecipeAndEachCallMakesANewString() throws Exception {
    final Specialization<Supplier> s = Specializer.of(LOOKUP)
        .method(StringConcatTest.class, "greet", String.class, int.class, boolean.class, double.class, String.class)
        .known(0, "Ada").known(1, 3).known(2, true).known(3, 0.5).known(4, "7").as(Supplier.class).specialize();
    // The whole text is the recipe; the one argument left is the empty string, so the concatenation still runs.
    assertThat(s.dump()).contains("INVOKEDYNAMIC makeConcatWithConstants(Ljava/lang/String;)Ljava/lang/String;",
        "Hi Ada #3!0.57\\u0001");
    assertThat(s.function().get()).isEqualTo("Hi Ada #3!0.57");
    // As the original, a new string each call: one object returned by every call would compare equal by identity.
    assertThat(s.function().get()).isNotSameAs(s.function().get());
    assertThat(greet("Ada", 3, true, 0.5, "7")).isNotSameAs(greet("Ada", 3, true, 0.5, "7"));
    assertThat(s.summary().callsFolded()).isEqualTo(1);
  }

  @Test
  void knownPartsJoinTheRecipe() throws Exception {
    final Specialization<NameAndNumber> s = Specializer.of(LOOKUP)
        .method(StringConcatTest.class, "greet", String.class, int.class, boolean.class, double.class, String.class)
        .known(2, false).known(3, 1.25).known(4, null).as(NameAndNumber.class).specialize();
    assertThat(s.dump()).contains("INVOKEDYNAMIC makeConcatWithConstants(Ljava/lang/String;I)Ljava/lang/String;",
        "?1.25null");
    assertThat(s.function().apply("Bo", -1)).isEqualTo("Hi Bo #-1?1.25null");
  }

  @Test
  void objectsKeepTheirToStringCall() throws Exception {
    final Object o = new Object() {
      @Override
      public String toString() {
        return "o";
      }
    };
    final Specialization<Supplier> s = Specializer.of(LOOKUP).method(StringConcatTest.class, "bracket", Object.class)
        .known(0, o).as(Supplier.class).specialize();
    assertThat(s.dump()).contains("String.valueOf (Ljava/lang/Object;)");
    assertThat(s.function().get()).isEqualTo("<o>");
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(Arbitraries.strings().withChars("ab\u0001\u0002 #").ofMaxLength(6),
        Arbitraries.just(null));
  }

  @Property(tries = 200)
  void residualBehavesLikeOriginal(@ForAll("texts") final String name, @ForAll final int n,
      @ForAll final boolean flag, @ForAll final double ratio, @ForAll("texts") final String tail,
      @ForAll final int mask) throws Exception {
    final Object[] values = {name, n, flag, ratio, tail};
    SpecializationRequest<Object> request = Specializer.of(LOOKUP)
        .method(StringConcatTest.class, "greet", String.class, int.class, boolean.class, double.class, String.class);
    final List<Object> unknown = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      if ((mask & (1 << i)) != 0) {
        request = request.known(i, values[i]);
      } else {
        unknown.add(values[i]);
      }
    }
    final Object residual = request.as(org.quasi.specializer.validate.internal.Arities.ofArity(unknown.size())).specialize().function();
    assertThat(org.quasi.specializer.validate.internal.Arities.call(residual, unknown.toArray())).isEqualTo(greet(name, n, flag, ratio, tail));
  }
}
