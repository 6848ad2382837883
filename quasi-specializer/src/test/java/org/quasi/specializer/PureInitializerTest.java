package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.specializer.Residuals.assertNone;
import static org.quasi.specializer.Residuals.assertSome;

import java.lang.invoke.MethodHandles;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A static initializer that only stores constants and arrays of constants into its own class's fields cannot be
 * observed: the residual code needs no initialization trigger for its class. Any other initializer keeps it.
 */
class PureInitializerTest {

  /** {@code static final int[] TABLE = {3, 1, 4, 1, 5}; static int size = 5;}: unobservable. */
  static final class Table {
    static final int[] TABLE = {3, 1, 4, 1, 5};
    static int size = 5;

    static int at(final int i) {
      return TABLE[i] + size;
    }
  }

  /** The same, plus a call in its initializer: observable (the call may do anything). */
  static final class Logged {
    static final int[] TABLE = {3, 1, 4, 1, 5};
    static final String NAME = String.valueOf(TABLE.length);

    static int at(final int i) {
      return TABLE[i] + NAME.length();
    }
  }

  @Test
  void pureInitializerNeedsNoTrigger() throws Exception {
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(Table.class, "at", int.class).as(IntUnaryOperator.class).specialize();
    // No trigger, and the static final array folds (reading it may initialize Table now: unobservable).
    assertNone(s.residual(), "NEW");
    assertThat(s.dump()).doesNotContain("Table.TABLE");
    for (int i = -1; i < 6; i++) {
      final int x = i;
      assertThat(outcome(() -> s.function().applyAsInt(x))).isEqualTo(outcome(() -> Table.at(x)));
    }
  }

  /** Logged's initialization stays where the original has it: its static finals are read, not folded. */
  @Test
  void initializerWithACallIsNotSkipped() throws Exception {
    final Class<?> c = Class.forName(Logged.class.getName(), false, Logged.class.getClassLoader());
    final ResidualCode r = Specializer.of(MethodHandles.lookup()).method(c, "at", int.class).residual();
    assertThat(r.dump()).contains("GETSTATIC org/quasi/specializer/PureInitializerTest$Logged.TABLE");
    assertSome(r, "GETSTATIC");
  }

  private static String outcome(final java.util.function.IntSupplier run) {
    try {
      return "returned " + run.getAsInt();
    } catch (RuntimeException e) {
      return "threw " + e.getClass().getName();
    }
  }
}
