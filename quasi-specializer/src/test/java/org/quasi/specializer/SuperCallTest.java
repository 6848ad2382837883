package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.Function;
import java.util.function.Supplier;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.FancyStyle;
import org.quasi.specializer.corpus.Style;

/**
 * Super calls whose target cannot be specialized in the caller's nest (it reads private fields of the superclass)
 * stay residual through a {@code findSpecial} handle of the caller's lookup.
 */
class SuperCallTest {
  private static MethodHandles.Lookup lookup() throws IllegalAccessException {
    return MethodHandles.privateLookupIn(FancyStyle.class, MethodHandles.lookup());
  }

  /** Residual code of {@code ends(boolean)} on a known receiver. */
  public interface Ends {
    String apply(boolean twice);
  }

  @Test
  void superCallOnKnownReceiverStaysResidualThroughAHandle() throws Exception {
    final FancyStyle style = new FancyStyle();
    final Specialization<Supplier> s = Specializer.of(lookup()).method(FancyStyle.class, "end").known(0, style)
        .as(Supplier.class).specialize();
    assertThat(s.dump()).contains("invokeExact").doesNotContain("INVOKESPECIAL");
    assertThat(s.function().get()).isEqualTo("]!");
    assertThat(style.uses()).as("the super call ran, and wrote its counter").isEqualTo(1);
  }

  @Test
  void superCallOnNullReceiverThrowsNullPointerException() throws Exception {
    final Function<Object, Object> f = Specializer.of(lookup()).method(FancyStyle.class, "end")
        .as(Function.class).specialize().function();
    assertThat(f.apply(new FancyStyle())).isEqualTo("]!");
    assertThatThrownBy(() -> f.apply(null)).isInstanceOf(NullPointerException.class);
  }

  @Property(tries = 30)
  void residualBehavesLikeOriginal(@ForAll final boolean twice, @ForAll final boolean knownFlag) throws Exception {
    final FancyStyle forOriginal = new FancyStyle();
    final FancyStyle forResidual = new FancyStyle();
    final String expected = forOriginal.ends(twice);
    final String actual;
    if (knownFlag) {
      final Supplier<?> f = Specializer.of(lookup()).method(FancyStyle.class, "ends").known(0, forResidual)
          .known(1, twice).as(Supplier.class).specialize().function();
      actual = (String) f.get();
    } else {
      final Ends f = Specializer.of(lookup()).method(FancyStyle.class, "ends").known(0, forResidual)
          .as(Ends.class).specialize().function();
      actual = f.apply(twice);
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(forResidual.uses()).isEqualTo(forOriginal.uses());
  }

  @Test
  void baseClassItselfStillSpecializes() throws Exception {
    final Style style = new Style();
    final Supplier<?> f = Specializer.of(MethodHandles.privateLookupIn(Style.class, MethodHandles.lookup()))
        .method(Style.class, "end").known(0, style).as(Supplier.class).specialize().function();
    assertThat(f.get()).isEqualTo("]");
  }
}
