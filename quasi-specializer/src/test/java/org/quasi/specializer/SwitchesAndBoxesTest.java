package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.specializer.Residuals.assertExactly;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Color;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusSwitches;

/**
 * Enum switches fold through javac's switch maps, string switches through {@code hashCode} and {@code equals};
 * boxes fold only to shared cached instances, so {@code ==} on boxes answers as in the original.
 */
class SwitchesAndBoxesTest {

  private static Specializer in() throws IllegalAccessException {
    return Specializer.of(MethodHandles.privateLookupIn(CorpusSwitches.class, Corpus.LOOKUP));
  }

  /** {@code switch (GREEN)}: the switch map read, {@code ordinal()} and the switch all fold. */
  @Test
  void knownEnumFoldsTheSwitch() throws Exception {
    final Specialization<IntUnaryOperator> s = in().method(CorpusSwitches.class, "enumSwitch", Color.class,
        int.class).known(0, Color.GREEN).as(IntUnaryOperator.class).specialize();
    assertExactly(s.residual(), "ILOAD", "ICONST_2", "IMUL", "IRETURN");
    assertThat(s.function().applyAsInt(21)).isEqualTo(42);
    assertThat(s.dependencies()).anySatisfy(d -> assertThat(d.kind()).isEqualTo(Dependency.Kind.ARRAY_ELEMENT));
  }

  /** An array store before the switch kills ordinary array knowledge, not the switch map's. */
  @Test
  void aSwitchMapSurvivesArrayStores() throws Exception {
    final Specialization<Function> s = in().method(CorpusSwitches.class, "enumAfterCall", Color.class,
        int[].class).known(0, Color.BLACK).as(Function.class).specialize();
    final int[] a = {9};
    assertThat(s.function().apply(a)).isEqualTo("dark");
    assertThat(a[0]).isEqualTo(3);
    assertNone(s.residual(), "TABLESWITCH", "LOOKUPSWITCH", "IALOAD");
  }

  /** A known string selects its case through the folded hash switch; the enum switch inside folds too. */
  @Test
  void knownStringAndEnumFoldBothSwitches() throws Exception {
    final Specialization<java.util.function.IntSupplier> s = in().method(CorpusSwitches.class, "stringSwitch",
        String.class, Color.class).known(0, "hello").known(1, Color.BLUE)
        .as(java.util.function.IntSupplier.class).specialize();
    assertThat(s.function().getAsInt()).isEqualTo(2);
    assertExactly(s.residual(), "ICONST_2", "IRETURN");
  }

  /** Small boxes are shared: {@code Integer.valueOf(43) == Integer.valueOf(43)} folds to true. */
  @Test
  void cachedBoxesFold() throws Exception {
    final ResidualCode r = in().method(CorpusSwitches.class, "sameBox", int.class, int.class).known(0, 1)
        .known(1, 1).residual();
    assertExactly(r, "ICONST_1", "IRETURN");
  }

  /** {@code Integer.valueOf(430)} is a fresh box each time: not folded, and {@code ==} is false at run time. */
  @Test
  void freshBoxesStayResidual() throws Exception {
    final Specialization<BooleanSupplier> s = in().method(CorpusSwitches.class, "sameBox", int.class, int.class)
        .known(0, 10).known(1, 10).as(BooleanSupplier.class).specialize();
    assertThat(s.function().getAsBoolean()).isEqualTo(CorpusSwitches.sameBox(10, 10));
    assertSome(s.residual(), "INVOKESTATIC");
  }

  /** Differential: enum, string switches and boxes behave as the original for random splits. */
  @Property(tries = 200)
  void switchCorpusBehavesLikeOriginal(@ForAll @IntRange(min = 0, max = 1000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final var cases = Corpus.cases().stream()
        .filter(c -> c.method().getDeclaringClass() == CorpusSwitches.class).toList();
    final Corpus.Case c = cases.get(which % cases.size());
    Differential.assertAgrees(c, seed, mask);
  }
}
