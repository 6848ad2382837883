package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.function.IntUnaryOperator;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * A static initializer that only allocates, computes with constants and sets its own class's statics runs at
 * specialization time, and the class's static finals then fold; any other initializer still runs where the original
 * would run it ({@link InitializationTest}).
 */
class EffectFreeInitializationTest {

  /** Like the signals case's SignalHandler: special values as static finals of an interface without defaults. */
  interface Action {
    Action IGNORE = new Named("ignore");
    Action DEFAULT = new Named("default");

    int run(int x);
  }

  /** The special values' class: a constructor that only sets a field of this. */
  static final class Named implements Action {
    private final String name;

    Named(final String name) {
      this.name = name;
    }

    @Override
    public int run(final int x) {
      throw new IllegalStateException(name);
    }
  }

  /** Like the signals case's Signals: a constant computed by the class's own static method. */
  static final class Masks {
    static final int ALL_BUT_FIRST = ~mask(1);

    static int mask(final int sig) {
      return 1 << (sig - 1);
    }
  }

  /** An initializer that may throw (a division): it must not run early. */
  static final class Divides {
    static final int Q;
    static int zero;

    static {
      Q = 10 / zero;
    }

    static int q(final int x) {
      return Q + x;
    }
  }

  /** An initializer with a loop: it might not terminate, so it must not run early. */
  static final class Loops {
    static final int SUM;

    static {
      int s = 0;
      for (int i = 0; i < 4; i++) {
        s += i;
      }
      SUM = s;
    }

    static int sum(final int x) {
      return SUM + x;
    }
  }

  static int classify(final Action a) {
    if (a == Action.IGNORE) {
      return 1;
    }
    if (a == Action.DEFAULT) {
      return 2;
    }
    return 3;
  }

  static int masked(final int x) {
    return x & Masks.mask(3) & Masks.ALL_BUT_FIRST;
  }

  @Test
  void staticFinalsOfAnEffectFreeInterfaceFold() throws Exception {
    final Action handler = x -> x;
    final Specialization<IntSupplier> s = Specializer.of(MethodHandles.lookup())
        .method(EffectFreeInitializationTest.class, "classify", Action.class).known(0, handler)
        .as(IntSupplier.class).specialize();
    Residuals.assertExactly(s.residual(), "ICONST_3", "IRETURN");
    assertThat(s.function().getAsInt()).isEqualTo(3);
  }

  @Test
  void aStaticMethodOfAClassWithAnEffectFreeInitializerNeedsNoTrigger() throws Exception {
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(EffectFreeInitializationTest.class, "masked", int.class).as(IntUnaryOperator.class).specialize();
    Residuals.assertNone(s.residual(), "NEW", "GETSTATIC", "INVOKESTATIC");
    assertThat(s.function().applyAsInt(0xff)).isEqualTo(4);
  }

  @Test
  void initializersThatMayThrowOrLoopStayWhereTheyWere() throws Exception {
    final Specialization<IntUnaryOperator> q = Specializer.of(MethodHandles.lookup())
        .method(Divides.class, "q", int.class).as(IntUnaryOperator.class).specialize();
    // The residual code initializes Divides: a trigger, or its own read of Q (InitTriggers drops the trigger then).
    assertThat(q.dump()).containsAnyOf("NEW org/quasi/specializer/EffectFreeInitializationTest$Divides",
        "GETSTATIC org/quasi/specializer/EffectFreeInitializationTest$Divides.Q");
    final Specialization<IntUnaryOperator> sum = Specializer.of(MethodHandles.lookup())
        .method(Loops.class, "sum", int.class).as(IntUnaryOperator.class).specialize();
    assertThat(sum.dump()).containsAnyOf("NEW org/quasi/specializer/EffectFreeInitializationTest$Loops",
        "GETSTATIC org/quasi/specializer/EffectFreeInitializationTest$Loops.SUM");
    assertThat(sum.function().applyAsInt(1)).isEqualTo(7);
  }
}
