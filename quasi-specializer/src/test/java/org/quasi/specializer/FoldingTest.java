package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quasi.specializer.Residuals.assertExactly;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Config;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusArith;
import org.quasi.specializer.corpus.CorpusCalls;
import org.quasi.specializer.corpus.CorpusControl;
import org.quasi.specializer.corpus.CorpusHeap;
import org.quasi.specializer.corpus.Fns;
import org.quasi.specializer.corpus.Shapes;

/** Shows that folding happened: the residual code lost the branches, calls, loops and heap reads it should. */
class FoldingTest {

  private static Specializer in(final Class<?> c) throws IllegalAccessException {
    return Specializer.of(MethodHandles.privateLookupIn(c, Corpus.LOOKUP));
  }

  /** {@code switch (op) {... case 2: return x * 2; ...}} with op = 2 known: one multiplication is left. */
  @Test
  void knownSelectorFoldsSwitch() throws Exception {
    final ResidualCode r = in(CorpusControl.class).method(CorpusControl.class, "tableSwitch", int.class, int.class)
        .known(0, 2).residual();
    assertExactly(r, "ILOAD", "ICONST_2", "IMUL", "IRETURN");
    assertThat(r.summary().branchesFolded()).isEqualTo(1);
  }

  /** {@code fib(10)}: recursion with known control unrolls into the constant 55. */
  @Test
  void knownRecursionFoldsToConstant() throws Exception {
    final Specialization<IntSupplier> s = in(CorpusCalls.class).method(CorpusCalls.class, "fib", int.class)
        .known(0, 10).as(IntSupplier.class).specialize();
    assertExactly(s.residual(), "BIPUSH", "IRETURN");
    assertThat(s.function().getAsInt()).isEqualTo(55);
    assertThat(s.summary().callsInlined()).isGreaterThan(100);
  }

  /**
   * {@code fib(n)} with n unknown: nothing folds, so the recursive calls stay calls of the original (inlining them
   * would only copy code).
   */
  @Test
  void unknownRecursionStaysACall() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class).method(CorpusCalls.class, "fib", int.class)
        .budgets(new Budgets(8, 256, 2, 12_000)).as(IntUnaryOperator.class).specialize();
    assertThat(s.summary().callsInlined()).isZero();
    assertThat(s.dump()).contains("INVOKESTATIC org/quasi/specializer/corpus/CorpusCalls.fib (I)I");
    for (int n = 0; n < 15; n++) {
      assertThat(s.function().applyAsInt(n)).isEqualTo(CorpusCalls.fib(n));
    }
  }

  /**
   * {@code ackermannSmall(2, 3)} with a call-depth budget of 2: calls whose known arguments fold
   * are inlined to the depth budget, then continue in specialized residual methods. (With a budget of 1 a trial
   * is nothing but calls specialized apart, which adds more than it folds: the calls stay calls of the original.)
   */
  @Test
  void knownCallsBeyondTheDepthBudgetBecomeSpecializedMethods() throws Exception {
    final Specialization<IntSupplier> s = in(CorpusCalls.class).method(CorpusCalls.class, "ackermannSmall",
        int.class, int.class).known(0, 2).known(1, 3).budgets(new Budgets(8, 256, 2, 12_000))
        .as(IntSupplier.class).specialize();
    assertThat(s.summary().callsInlined()).isGreaterThan(0);
    assertThat(s.summary().callsSpecialized()).isGreaterThan(0);
    assertThat(s.function().getAsInt()).isEqualTo(CorpusCalls.ackermannSmall(2, 3));
  }

  /** {@code power(x, 13)}: square-and-multiply unrolled, no call and no branch left. */
  @Test
  void knownExponentUnrollsPower() throws Exception {
    final Specialization<LongUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "power", long.class, int.class).known(1, 13)
        .as(LongUnaryOperator.class).specialize();
    assertNone(s.residual(), "INVOKESTATIC", "IFLE", "IFNE", "IFEQ");
    assertThat(s.function().applyAsLong(3)).isEqualTo(1_594_323L);
  }

  /** {@code for (i = 0; i < n; i++) s += i;} with n known: the loop disappears. */
  @Test
  void knownLoopBoundUnrolls() throws Exception {
    final ResidualCode r = in(CorpusControl.class).method(CorpusControl.class, "sumTo", int.class).known(0, 20)
        .residual();
    assertExactly(r, "SIPUSH", "IRETURN");
    assertThat(r.summary().budgetExceeded()).isFalse();
  }

  /** The same loop beyond the unrolling budget stays a loop, and is still right. */
  @Test
  void unrollingBudgetLeavesALoop() throws Exception {
    final Specialization<IntSupplier> s = in(CorpusControl.class).method(CorpusControl.class, "sumTo", int.class)
        .known(0, 1000).budgets(new Budgets(4, 16, 4, 10_000)).as(IntSupplier.class).specialize();
    assertThat(s.summary().budgetExceeded()).isTrue();
    assertSome(s.residual(), "GOTO");
    assertThat(s.function().getAsInt()).isEqualTo(499_500);
  }

  /**
   * {@code weighted(c, x)} over 20,000 quasi-invariant weights, with budgets that would unroll it all (each
   * iteration folds its weight, so the loop is worth unrolling): the residual method would break the class-file
   * limits, so specialization is redone with minimal budgets, and the loop stays a loop.
   */
  @Test
  void residualTooLargeFallsBackToMinimalSpecialization() throws Exception {
    final int[] weights = new int[20_000];
    java.util.Arrays.setAll(weights, i -> i % 7 - 3);
    final Config c = new Config(1, weights, "w", 3);
    final Specialization<IntUnaryOperator> s = in(CorpusHeap.class)
        .method(CorpusHeap.class, "weighted", Config.class, int.class).known(0, c)
        .quasiInvariant(Config.class, "mode", "weights").budgets(new Budgets(8, 100_000, 10, 1_000_000))
        .as(IntUnaryOperator.class).specialize();
    assertThat(s.summary().budgetExceeded()).as(s.summary().toString()).isTrue();
    assertThat(s.summary().instructionsAfter()).isLessThan(100);
    assertThat(s.function().applyAsInt(5)).isEqualTo(CorpusHeap.weighted(c, 5));
  }

  /**
   * {@code doubleLoop(x, 20000)}: its iterations fold nothing but their counter (each keeps its multiply and add),
   * so after two of them the loop is kept rolled, and specialization is done again with it rolled from the start.
   */
  @Test
  void fruitlessUnrollingKeepsTheLoopRolled() throws Exception {
    final Specialization<java.util.function.DoubleUnaryOperator> s = in(CorpusControl.class)
        .method(CorpusControl.class, "doubleLoop", double.class, int.class).known(1, 20_000)
        .budgets(new Budgets(8, 100_000, 10, 1_000_000)).as(java.util.function.DoubleUnaryOperator.class)
        .specialize();
    assertThat(s.summary().budgetExceeded()).as(s.summary().toString()).isFalse();
    assertThat(s.summary().loopIterationsUnrolled()).isZero();
    assertSome(s.residual(), "GOTO");
    assertThat(s.summary().instructionsAfter()).isLessThanOrEqualTo(s.summary().instructionsBefore());
    assertThat(s.function().applyAsDouble(0.5)).isEqualTo(CorpusControl.doubleLoop(0.5, 20_000));
  }

  /**
   * {@code joinCopies(m, x)}: the known length only gives each side of an unknown branch its own constant, which the
   * rest uses in arithmetic. Specializing the rest once per side folds no branch and no read and copies it: the
   * specializer then specializes minimally, one copy with the joined value in a local, smaller than the original.
   */
  @Test
  void aSpecializationThatFoldsNothingDoesNotCopyCode() throws Exception {
    final int[] m = new int[8];
    final Specialization<IntUnaryOperator> s = in(CorpusControl.class)
        .method(CorpusControl.class, "joinCopies", int[].class, int.class).known(0, m)
        .as(IntUnaryOperator.class).specialize();
    assertThat(s.summary().variants()).as(s.summary().toString()).isEqualTo(1);
    assertThat(s.summary().instructionsAfter()).as(s.summary().toString())
        .isLessThan(s.summary().instructionsBefore());
    assertNone(s.residual(), "ARRAYLENGTH");
    for (final int x : new int[] {Integer.MIN_VALUE, -7, -1, 0, 1, 2, 99, Integer.MAX_VALUE}) {
      assertThat(s.function().applyAsInt(x)).as("x = %d", x).isEqualTo(CorpusControl.joinCopies(m, x));
    }
  }

  /**
   * {@code weighted(c, x)}: with the config known and its {@code mode} and {@code weights} quasi-invariant, the
   * loop over the weights unrolls, the reads fold, and each folded read is a dependency.
   */
  @Test
  void quasiInvariantFieldsAndArraysFold() throws Exception {
    final Config c = new Config(1, new int[] {3, 4, 5}, "w", 3);
    final Specialization<IntUnaryOperator> s = in(CorpusHeap.class)
        .method(CorpusHeap.class, "weighted", Config.class, int.class).known(0, c)
        .quasiInvariant(Config.class, "mode", "weights").as(IntUnaryOperator.class).specialize();
    assertNone(s.residual(), "GETFIELD", "IALOAD", "ARRAYLENGTH", "GOTO");
    assertThat(s.function().applyAsInt(2)).isEqualTo(CorpusHeap.weighted(c, 2));
    assertThat(s.dependencies()).contains(
        new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, c, Config.class, "mode", -1, 1),
        new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, c, Config.class, "weights", -1, c.weights),
        new Dependency(Dependency.Kind.ARRAY_ELEMENT, c.weights, int[].class, null, 2, 5));
    assertThat(s.summary().loopIterationsUnrolled()).isGreaterThanOrEqualTo(2);
  }

  /** Without the declaration, a plain field of a known object is read at run time. */
  @Test
  void undeclaredFieldsStayResidual() throws Exception {
    final Config c = new Config(1, new int[] {3}, "w", 3);
    final ResidualCode r = in(CorpusHeap.class).method(CorpusHeap.class, "weighted", Config.class, int.class)
        .known(0, c).residual();
    assertSome(r, "GETFIELD");
    assertThat(r.dependencies()).allMatch(d -> d.kind() == Dependency.Kind.FINAL_FIELD);
  }

  /** {@code final} fields fold as true invariants, unless turned off. */
  @Test
  void finalFieldsFoldUnlessTurnedOff() throws Exception {
    final Config c = new Config(2, new int[] {1}, "w", 7);
    final SpecializationRequest<Object> request = in(CorpusHeap.class)
        .method(CorpusHeap.class, "weighted", Config.class, int.class).known(0, c)
        .quasiInvariant(Config.class, "mode", "weights");
    assertThat(request.residual().dependencies()).anyMatch(d -> "limit".equals(d.field()));
    final ResidualCode off = request.foldFinalFields(false).residual();
    assertThat(off.dependencies()).noneMatch(d -> "limit".equals(d.field()));
    assertSome(off, "GETFIELD");
  }

  /**
   * {@code c.total += x; c.mode = x % 3; return c.total + c.mode;}: the residual write to {@code mode} kills its
   * knowledge, so the later read stays a read.
   */
  @Test
  void residualWriteKillsKnowledge() throws Exception {
    final Config c = new Config(1, new int[0], "w", 3);
    final ResidualCode r = in(CorpusHeap.class).method(CorpusHeap.class, "configWrite", Config.class, int.class)
        .known(0, c).quasiInvariant(Config.class, "mode").residual();
    assertThat(Residuals.opcodes(r).stream().filter("GETFIELD"::equals).count()).isEqualTo(3);
    assertThat(r.dependencies()).isEmpty();
  }

  /** A static quasi-invariant of a class whose static initializer has run. */
  static final class Settings {
    static int level = 3;
    static final Object INIT = new Object();

    static int scaled(final int x) {
      return x * level;
    }

    static int twice(final Runnable r, final int x) {
      final int before = level;
      r.run();
      return before + level + x;
    }
  }

  /** {@code x * Settings.level}: folds once the class is initialized, with a static dependency. */
  @Test
  void staticQuasiInvariantFoldsWhenClassInitialized() throws Exception {
    assertThat(Settings.INIT).isNotNull();
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(Settings.class, "scaled", int.class).quasiInvariant(Settings.class, "level")
        .as(IntUnaryOperator.class).specialize();
    assertNone(s.residual(), "GETSTATIC");
    assertThat(s.function().applyAsInt(5)).isEqualTo(15);
    assertThat(s.dependencies()).containsExactly(
        new Dependency(Dependency.Kind.QUASI_INVARIANT_FIELD, null, Settings.class, "level", -1, 3));
  }

  /** A residual call to code the specializer cannot see may write anything: the second read stays a read. */
  @Test
  void opaqueCallKillsQuasiInvariants() throws Exception {
    final Specialization<Fns.Fn2> s = Specializer.of(MethodHandles.lookup())
        .method(Settings.class, "twice", Runnable.class, int.class).quasiInvariant(Settings.class, "level")
        .as(Fns.Fn2.class).specialize();
    assertSome(s.residual(), "GETSTATIC");
    final Runnable bump = () -> Settings.level++;
    try {
      assertThat(s.function().apply(bump, 1)).isEqualTo(3 + 4 + 1);
    } finally {
      Settings.level = 3;
    }
  }

  /** {@code s.area() * 2} on a known circle: interface call inlined, final fields folded, a constant remains. */
  @Test
  void interfaceCallOnKnownReceiverFolds() throws Exception {
    final ResidualCode r = in(CorpusCalls.class).method(CorpusCalls.class, "area", Shapes.Shape.class)
        .known(0, Shapes.of(1, 2)).residual();
    assertExactly(r, "LDC", "DRETURN");
    assertThat(r.summary().callsInlined()).isEqualTo(1);
  }

  /** {@code a / b} with b known to be 0 is not folded: the residual code throws ArithmeticException. */
  @Test
  void divisionByKnownZeroStaysResidual() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusArith.class)
        .method(CorpusArith.class, "divide", int.class, int.class).known(1, 0).as(IntUnaryOperator.class)
        .specialize();
    assertSome(s.residual(), "IDIV");
    assertThatThrownBy(() -> s.function().applyAsInt(5)).isInstanceOf(ArithmeticException.class);
  }

  /** {@code "add".equals(s)}-style string switch on a known string: hashCode and equals fold, no call is left. */
  @Test
  void stringSwitchOnKnownStringFolds() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusControl.class)
        .method(CorpusControl.class, "stringSwitch", String.class, int.class).known(0, "mul")
        .as(IntUnaryOperator.class).specialize();
    assertNone(s.residual(), "INVOKEVIRTUAL", "LOOKUPSWITCH", "TABLESWITCH");
    assertThat(s.function().applyAsInt(4)).isEqualTo(40);
    assertThat(s.summary().callsFolded()).isGreaterThanOrEqualTo(2);
  }

  /**
   * {@code clamp(a + b, -5, 50) + twice(a) - square(b)} with b = 3: {@code square(3)} folds to 9 and is inlined;
   * {@code clamp} and {@code twice}, whose arguments fold nothing, stay calls (inlining would only copy them).
   */
  @Test
  void onlyCallsThatFoldAreInlined() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "helpers", int.class, int.class).known(1, 3).as(IntUnaryOperator.class)
        .specialize();
    assertThat(s.dump()).doesNotContain("CorpusCalls.square").contains("CorpusCalls.clamp", "CorpusCalls.twice");
    assertThat(s.summary().callsInlined()).isEqualTo(1);
    assertThat(s.function().applyAsInt(4)).isEqualTo(CorpusCalls.helpers(4, 3));
    assertThat(s.function().applyAsInt(400)).isEqualTo(CorpusCalls.helpers(400, 3));
  }

  /**
   * {@code acc.add(x, x + 1) + acc.add(x * 2, 3)} on an unknown accumulator: the calls stay (nothing folds) and a
   * null receiver still throws.
   */
  @Test
  void unknownReceiverKeepsItsNullCheck() throws Exception {
    final Specialization<Fns.Fn2> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "accumulate", CorpusCalls.Accumulator.class, int.class)
        .as(Fns.Fn2.class).specialize();
    assertSome(s.residual(), "INVOKEVIRTUAL");
    assertThatThrownBy(() -> s.function().apply(null, 1)).isInstanceOf(NullPointerException.class);
    assertThat(s.function().apply(new CorpusCalls.Accumulator(2), 5))
        .isEqualTo(CorpusCalls.accumulate(new CorpusCalls.Accumulator(2), 5));
  }

  /** Interface calls on a known receiver, for {@link #pureInterfaceCallOnKnownReceiverFolds}. */
  public static final class Lengths {
    private Lengths() {
    }

    public static int twice(final CharSequence s, final int x) {
      return s.length() * 2 + x;
    }
  }

  /**
   * {@code s.length()} through {@code CharSequence} on a known {@code String}: the method the receiver's class selects
   * is {@code String.length}, which is pure, so the call folds and no interface call is left.
   */
  @Test
  void pureInterfaceCallOnKnownReceiverFolds() throws Exception {
    final Specialization<IntUnaryOperator> s = in(Lengths.class)
        .method(Lengths.class, "twice", CharSequence.class, int.class).known(0, "abcd").as(IntUnaryOperator.class)
        .specialize();
    assertNone(s.residual(), "INVOKEINTERFACE", "INVOKEVIRTUAL");
    assertThat(s.summary().callsFolded()).isEqualTo(1);
    assertThat(s.function().applyAsInt(1)).isEqualTo(9);
  }
  /**
   * {@code Objects.requireNonNull(s, "s").length() + x} with s = "hello" known: the check returns its argument, so
   * it folds, and so does the length of the string it returned.
   */
  @Test
  void requireNonNullOfKnownObjectFolds() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "checkedLength", String.class, int.class).known(0, "hello")
        .as(IntUnaryOperator.class).specialize();
    assertExactly(s.residual(), "ICONST_5", "ILOAD", "IADD", "IRETURN");
    assertThat(s.summary().callsFolded()).isEqualTo(2);
    assertThat(s.function().applyAsInt(3)).isEqualTo(8);
  }

  /** The same check of a known null stays a call: it throws at run time, as the original does. */
  @Test
  void requireNonNullOfKnownNullStaysACall() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "checkedLength", String.class, int.class).known(0, null)
        .as(IntUnaryOperator.class).specialize();
    assertThat(s.dump()).contains("java/util/Objects.requireNonNull");
    assertThatThrownBy(() -> s.function().applyAsInt(3)).isInstanceOf(NullPointerException.class);
  }

  /** The folded check is the known object itself, not a copy: the residual code returns that very object. */
  @Test
  void requireNonNullFoldsToTheObjectItself() throws Exception {
    final Object[] array = {"a", 1};
    final Specialization<java.util.function.Supplier> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "checked", Object[].class).known(0, array)
        .as(java.util.function.Supplier.class).specialize();
    assertExactly(s.residual(), "LDC", "ARETURN");
    assertThat(s.function().get()).isSameAs(array);
  }
  /**
   * {@code Checks.checkArgument(k > 0, "k"); return x * k;} with k = 3: the check's failure path calls a helper of
   * another package the hidden class cannot reach, but k cuts that path off, so the check is inlined and folds away.
   */
  @Test
  void checkWhoseUnreachablePathIsRefusedIsInlined() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "checkedScale", int.class, int.class).known(1, 3)
        .as(IntUnaryOperator.class).specialize();
    assertExactly(s.residual(), "ILOAD", "ICONST_3", "IMUL", "IRETURN");
    assertThat(s.function().applyAsInt(7)).isEqualTo(21);
  }

  /** With k = -1 the check fails: its trial reaches the unreachable helper, so the check stays a call, and throws. */
  @Test
  void checkThatReachesARefusedInstructionStaysACall() throws Exception {
    final Specialization<IntUnaryOperator> s = in(CorpusCalls.class)
        .method(CorpusCalls.class, "checkedScale", int.class, int.class).known(1, -1)
        .as(IntUnaryOperator.class).specialize();
    assertThat(s.dump()).contains("INVOKESTATIC org/quasi/specializer/corpus/checks/Checks.checkArgument")
        .doesNotContain("describe");
    assertThatThrownBy(() -> s.function().applyAsInt(7)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("k");
  }
  /**
   * {@code Checks.checkArgument(ok, message)} itself as the request's method, in the corpus's lookup: its failure path
   * calls a helper of the checks package the hidden class cannot reach. A known {@code true} cuts that path off, and
   * the residual code is a bare return; a known {@code false}, or an unknown {@code ok}, reaches the helper's call,
   * and the request is declined with that call's reason and position (it was declined whatever was known).
   */
  @Test
  void aRequestWhoseKnownArgumentsCutOffItsRefusedInstructionsIsSpecialized() throws Exception {
    final Specialization<java.util.function.Consumer> s = in(CorpusCalls.class)
        .method(org.quasi.specializer.corpus.checks.Checks.class, "checkArgument", boolean.class, Object.class)
        .known(0, true).as(java.util.function.Consumer.class).specialize();
    assertExactly(s.residual(), "RETURN");
    s.function().accept("never described");
    for (final Boolean ok : new Boolean[] {false, null}) {
      var request = in(CorpusCalls.class)
          .method(org.quasi.specializer.corpus.checks.Checks.class, "checkArgument", boolean.class, Object.class);
      if (ok != null) {
        request = request.known(0, ok);
      }
      final var declined = request;
      assertThatThrownBy(declined::residual).isInstanceOfSatisfying(SpecializationDeclined.class, d -> {
        assertThat(d.reason()).contains("org.quasi.specializer.corpus.checks.Checks.describe")
            .contains("not accessible from lookup class");
        assertThat(d.getMessage()).contains("INVOKESTATIC");
      });
    }
  }

  /**
   * {@code earlyReturnLoop(a, key)} with the array known and the key unknown: the loop's exit compares an element
   * the evaluator may not read (a known array's elements can change) with the unknown key, so the loop comes back to
   * its header through a residual exit and is generalized there. Its first iteration, specialized on i = 0, folded
   * nothing: the loop is kept rolled from its entry, one copy of its body, with no peeled iteration in front.
   */
  @Test
  void searchLoopWithResidualExitIsNotPeeled() throws Exception {
    final int[] a = {4, 7, 9};
    final Specialization<IntUnaryOperator> s = in(CorpusControl.class)
        .method(CorpusControl.class, "earlyReturnLoop", int[].class, int.class).known(0, a)
        .as(IntUnaryOperator.class).specialize();
    assertThat(Residuals.opcodes(s.residual())).as(s.dump()).containsOnlyOnce("IALOAD");
    assertThat(s.summary().instructionsAfter()).isLessThan(s.summary().instructionsBefore());
    for (int key = -1; key <= 10; key++) {
      assertThat(s.function().applyAsInt(key)).isEqualTo(CorpusControl.earlyReturnLoop(a, key));
    }
  }
}
