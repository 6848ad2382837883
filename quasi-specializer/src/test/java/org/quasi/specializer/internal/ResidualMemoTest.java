package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
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
 * A request that shares code and whose partial evaluation emits what an earlier one emitted reuses that one's
 * assembled class file (the very same bytes: clean-up and assembly are skipped), and still answers for its own
 * known objects; other code gets bytes of its own.
 */
class ResidualMemoTest {

  /** Links are final (they fold), values are read at run time from the known nodes. */
  public static final class Link {
    public int value;
    public final Link next;

    Link(final int value, final Link next) {
      this.value = value;
      this.next = next;
    }
  }

  /** A walk with a loop, a branch and a call, so that the clean-up passes have work to do. */
  public static int weigh(final Link head, final int x) {
    int total = x;
    for (Link l = head; l != null; l = l.next) {
      total += l.value > 0 ? l.value : -l.value * 2;
    }
    return Math.max(total, -x);
  }

  @Property(tries = 40)
  void theSameResidualCodeIsAssembledOnceAndEachVersionReadsItsOwnNodes(
      @ForAll @Size(min = 1, max = 5) final List<@IntRange(min = -9, max = 9) Integer> first,
      @ForAll @IntRange(min = -9, max = 9) final int shift, @ForAll @IntRange(min = -50, max = 50) final int x)
      throws Throwable {
    final Link a = list(first, 0);
    final Link b = list(first, shift);
    final Link longer = new Link(shift, a);
    final Engine.Result ra = specialize(a, true);
    final Engine.Result rb = specialize(b, true);
    final Engine.Result rLonger = specialize(longer, true);
    final Engine.Result unshared = specialize(b, false);
    assertThat(rb.classFile()).as("memoized: the same bytes").isSameAs(ra.classFile());
    assertThat(rb.summary()).isEqualTo(ra.summary());
    assertThat(rLonger.classFile()).isNotEqualTo(ra.classFile());
    assertThat(unshared.classFile()).as("not memoized without sharing, but the same code")
        .isNotSameAs(ra.classFile()).isEqualTo(ra.classFile());
    assertThat(((IntUnaryOperator) ra.function()).applyAsInt(x)).isEqualTo(weigh(a, x));
    assertThat(((IntUnaryOperator) rb.function()).applyAsInt(x)).isEqualTo(weigh(b, x));
    assertThat(((IntUnaryOperator) rLonger.function()).applyAsInt(x)).isEqualTo(weigh(longer, x));
  }

  private static Link list(final List<Integer> values, final int shift) {
    Link head = null;
    for (int i = values.size() - 1; i >= 0; i--) {
      head = new Link(values.get(i) + shift, head);
    }
    return head;
  }

  private static Engine.Result specialize(final Link head, final boolean share) throws Exception {
    return Engine.specialize(MethodHandles.lookup(), ResidualMemoTest.class.getMethod("weigh", Link.class,
            int.class), new boolean[] {true, false}, new Object[] {head, null}, Set.of(), FieldAssumptions.NONE,
        true, Budgets.DEFAULT, JdkPolicy.CALL_ONLY, IntUnaryOperator.class, false, share);
  }
}
