package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.quasi.specializer.Budgets;
import org.quasi.specializer.JdkPolicy;

/**
 * Inlining trials that stop at their first quasi-invariant fold decide as trials run to their end: the residual
 * class is the same, byte for byte, and answers as the generic code does.
 */
class TrialSettlingTest {

  /** A list whose links and values are quasi-invariant. */
  public static final class Cell {
    public int value;
    public Cell next;

    Cell(final int value, final Cell next) {
      this.value = value;
      this.next = next;
    }
  }

  public static int entry(final Cell head, final int key, final int x) {
    return find(head, key) + x;
  }

  /** A search over the list: its trial folds a quasi-invariant read at once. */
  static int find(final Cell head, final int key) {
    for (Cell c = head; c != null; c = c.next) {
      if (c.value == key) {
        return hit(c);
      }
    }
    return -1;
  }

  static int hit(final Cell c) {
    return c.value * 2 + (c.next == null ? 0 : scaled(c.next.value));
  }

  /** Reads no quasi-invariant: its trial runs to its end. */
  static int scaled(final int v) {
    return v > 100 ? v / 3 : v * 3;
  }

  @Property(tries = 60)
  void earlySettlingGivesTheResidualCodeOfFullTrials(
      @ForAll @Size(max = 6) final List<@IntRange(min = -5, max = 200) Integer> values,
      @ForAll @IntRange(min = -5, max = 200) final int key, @ForAll final int x) throws Throwable {
    Cell head = null;
    for (int i = values.size() - 1; i >= 0; i--) {
      head = new Cell(values.get(i), head);
    }
    final Engine.Result early = specialize(head, key, true);
    final Engine.Result full = specialize(head, key, false);
    assertThat(early.trialsSettledEarly()).as("find's trial folds the head's link first").isEqualTo(head != null);
    assertThat(full.trialsSettledEarly()).isFalse();
    assertThat(early.classFile()).as("early\n%s\nfull\n%s", early.dump(), full.dump()).isEqualTo(full.classFile());
    assertThat(early.dependencies()).isEqualTo(full.dependencies());
    assertThat(((IntUnaryOperator) early.function()).applyAsInt(x)).isEqualTo(entry(head, key, x));
  }

  private static Engine.Result specialize(final Cell head, final int key, final boolean settleEarly)
      throws Exception {
    final Set<Field> quasiInvariants = Set.of(Cell.class.getField("value"), Cell.class.getField("next"));
    return Engine.specialize(MethodHandles.lookup(), TrialSettlingTest.class.getMethod("entry", Cell.class,
            int.class, int.class), new boolean[] {true, true, false}, new Object[] {head, key, null},
        quasiInvariants, FieldAssumptions.NONE, true, Budgets.DEFAULT, JdkPolicy.CALL_ONLY, IntUnaryOperator.class,
        false, false, settleEarly);
  }
}
