package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusHandlers;

/**
 * Exception handlers are specialized: folding happens inside try blocks and handlers, the residual handlers see the
 * right values of live locals, exceptions of inlined callees reach the caller's handler, and exceptions the
 * specializer could have predicted are still thrown at run time.
 */
class HandlersTest {

  private static Specializer in() throws IllegalAccessException {
    return Specializer.of(MethodHandles.privateLookupIn(CorpusHandlers.class, Corpus.LOOKUP));
  }

  /** {@code safeLength("12") + parseOr("12", x)}: both callees' try blocks fold; no handler is left. */
  @Test
  void knownStringFoldsTheCalleesTryBlocks() throws Exception {
    final Specialization<IntUnaryOperator> s = in().method(CorpusHandlers.class, "callee", String.class, int.class)
        .known(0, "12").as(IntUnaryOperator.class).specialize();
    assertThat(s.function().applyAsInt(5)).isEqualTo(CorpusHandlers.callee("12", 5));
    assertNone(s.residual(), "INVOKESTATIC", "INVOKEVIRTUAL", "IFNULL", "IFNONNULL");
    assertThat(s.dump()).doesNotContain("TRYCATCHBLOCK");
  }

  /** A known string that does not parse: the folded call threw, so the residual code calls it and catches. */
  @Test
  void aCallThatWouldThrowStaysResidualAndIsCaught() throws Exception {
    final Specialization<IntUnaryOperator> s = in().method(CorpusHandlers.class, "callee", String.class, int.class)
        .known(0, "abc").as(IntUnaryOperator.class).specialize();
    assertThat(s.function().applyAsInt(7)).isEqualTo(CorpusHandlers.callee("abc", 7));
    assertThat(s.dump()).contains("TRYCATCHBLOCK", "java/lang/NumberFormatException", "parseInt");
  }

  /** Division by a known zero is not folded: it throws at run time into the handler, which then folds. */
  @Test
  void divisionByKnownZeroThrowsIntoTheHandler() throws Exception {
    final Specialization<IntUnaryOperator> s = in().method(CorpusHandlers.class, "nested", int.class, int.class)
        .known(0, 0).as(IntUnaryOperator.class).specialize();
    for (int y = -3; y <= 3; y++) {
      assertThat(s.function().applyAsInt(y)).as("y=%d", y).isEqualTo(CorpusHandlers.nested(0, y));
    }
    assertSome(s.residual(), "IDIV");
  }

  /** The handler reads {@code r}, written inside the try: with a known array, each residual throw point differs. */
  @Test
  void handlerSeesTheLiveLocalsOfTheThrowingPoint() throws Exception {
    final int[] a = {4, 5, 6};
    final Specialization<IntUnaryOperator> s = in().method(CorpusHandlers.class, "indexOr", int[].class, int.class)
        .known(0, a).as(IntUnaryOperator.class).specialize();
    for (int i = -2; i <= 4; i++) {
      assertThat(s.function().applyAsInt(i)).as("i=%d", i).isEqualTo(CorpusHandlers.indexOr(a, i));
    }
    assertThat(s.dump()).contains("java/lang/ArrayIndexOutOfBoundsException");
  }

  /** {@code element(a, i)} inlined: its bad index reaches {@code throughCallee}'s handler. */
  @Test
  void anInlinedCalleesExceptionReachesTheCallersHandler() throws Exception {
    final Specialization<ToIntFunction> s = in().method(CorpusHandlers.class, "throughCallee", int[].class,
        int.class).known(1, 2).as(ToIntFunction.class).specialize();
    assertThat(s.summary().callsInlined()).isPositive();
    for (final int[] a : new int[][] {{1, 2, 3, 4}, {1, 2, 3}, {}, null}) {
      final int expected = a == null ? Integer.MIN_VALUE : CorpusHandlers.throughCallee(a, 2);
      if (a == null) {
        assertThatThrownBy(() -> s.function().applyAsInt(null)).isInstanceOf(NullPointerException.class);
      } else {
        assertThat(s.function().applyAsInt(a)).isEqualTo(expected);
      }
    }
  }

  /**
   * Everything known: the branches of the try and of the finally fold; the exception object is still allocated and
   * thrown at run time (its identity is observable) and caught by the residual handler, which returns the constant.
   */
  @Test
  void knownControlFoldsTryFinallyToAConstant() throws Exception {
    final Specialization<IntSupplier> s = in().method(CorpusHandlers.class, "rethrow", int.class)
        .known(0, -4).as(IntSupplier.class).specialize();
    assertThat(s.function().getAsInt()).isEqualTo(-2);
    assertNone(s.residual(), "IFGE", "IFLT", "IF_ICMPNE", "IF_ICMPEQ", "IDIV");
  }

  /** A synchronized block on a known object keeps its locking: entered and left at run time, never folded. */
  @Test
  void monitorsOnKnownObjectsStayResidual() throws Exception {
    final Object lock = new Object();
    final Specialization<java.util.function.Predicate> s = in().method(CorpusHandlers.class, "holdsInside",
        Object.class, int[].class).known(0, lock).as(java.util.function.Predicate.class).specialize();
    final int[] a = {1, 2};
    assertThat(s.function().test(a)).isTrue();
    assertThat(Thread.holdsLock(lock)).isFalse();
    assertThat(Thread.holdsLock(a)).isFalse();
    assertThatThrownBy(() -> s.function().test(null)).isInstanceOf(NullPointerException.class);
    assertThat(Thread.holdsLock(lock)).isFalse();
    assertThat(Residuals.opcodes(s.residual()).stream().filter("MONITORENTER"::equals).count()).isEqualTo(2);
  }

  /** A synchronized callee is inlined with its locking: the class is locked around the inlined body only. */
  @Test
  void synchronizedCalleeIsInlinedWithItsLocking() throws Exception {
    final Specialization<IntUnaryOperator> s = in().method(CorpusHandlers.class, "callsSynchronized", int.class,
        int.class).known(0, 21).as(IntUnaryOperator.class).specialize();
    assertThat(s.function().applyAsInt(5)).isEqualTo(CorpusHandlers.callsSynchronized(21, 5));
    assertThatThrownBy(() -> s.function().applyAsInt(0)).isInstanceOf(ArithmeticException.class);
    assertSome(s.residual(), "MONITORENTER");
    assertThat(s.dump()).doesNotContain("twiceLocked");
    assertThat(Thread.holdsLock(CorpusHandlers.class)).isFalse();
  }

  /** Differential: the residual code of each handler corpus method behaves as the original, for random splits. */
  @Property(tries = 300)
  void handlerCorpusBehavesLikeOriginal(@ForAll @IntRange(min = 0, max = 1000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final var cases = Corpus.cases().stream()
        .filter(c -> c.method().getDeclaringClass() == CorpusHandlers.class).toList();
    final Corpus.Case c = cases.get(which % cases.size());
    Differential.assertAgrees(c, seed, mask);
  }
}
