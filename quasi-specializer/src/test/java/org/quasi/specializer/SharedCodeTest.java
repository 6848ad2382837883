package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.function.IntUnaryOperator;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Specializations whose residual code is the same and whose known objects differ share one class when asked
 * ({@link SpecializationRequest#shareCode}): each holds its own objects, answers as the generic code does for them,
 * and residual methods specialized apart receive the objects too.
 */
class SharedCodeTest {

  /** A list whose links are final (they fold) and whose values are not (read at run time from the known nodes). */
  static final class Node {
    int value;
    final Node next;

    Node(final int value, final Node next) {
      this.value = value;
      this.next = next;
    }
  }

  static int sum(final Node n, final int x) {
    return n == null ? x : n.value + sum(n.next, x);
  }

  private static Node list(final List<Integer> values) {
    Node head = null;
    for (int i = values.size() - 1; i >= 0; i--) {
      head = new Node(values.get(i), head);
    }
    return head;
  }

  /** The walk is inlined while it folds; its end is called (the inlining policy's trial of the recursion). */
  private static Specialization<IntUnaryOperator> sum(final Node head, final boolean share) throws Exception {
    return Specializer.of(MethodHandles.lookup()).method(SharedCodeTest.class, "sum", Node.class, int.class)
        .known(0, head).budgets(new Budgets(8, 256, 1, 12_000)).shareCode(share).as(IntUnaryOperator.class)
        .specialize();
  }

  @Test
  void listsOfOneLengthShareAClassAndEachVersionReadsItsOwnNodes() throws Exception {
    final Node a = list(List.of(1, 2, 3, 4));
    final Node b = list(List.of(50, 60, 70, 80));
    final Node shorter = list(List.of(1, 2));
    final Specialization<IntUnaryOperator> sa = sum(a, true);
    final Specialization<IntUnaryOperator> sb = sum(b, true);
    final Specialization<IntUnaryOperator> sShorter = sum(shorter, true);
    assertThat(sa.residual().dump()).as("the residual code loads the known nodes").contains("classDataAt");
    assertThat(sb.function().getClass()).isSameAs(sa.function().getClass());
    assertThat(sShorter.function().getClass()).isNotSameAs(sa.function().getClass());
    assertThat(sum(a, false).function().getClass()).as("unshared: a class of its own")
        .isNotSameAs(sum(b, false).function().getClass()).isNotSameAs(sa.function().getClass());
    for (int x = -3; x <= 3; x++) {
      assertThat(sa.function().applyAsInt(x)).isEqualTo(sum(a, x));
      assertThat(sb.function().applyAsInt(x)).isEqualTo(sum(b, x));
      assertThat(sShorter.function().applyAsInt(x)).isEqualTo(sum(shorter, x));
    }
    // The values are read at run time from each version's own nodes.
    a.next.next.next.value = 1000;
    assertThat(sa.function().applyAsInt(0)).isEqualTo(1006);
    assertThat(sb.function().applyAsInt(0)).isEqualTo(260);
  }

  @Test
  void residualMethodsSpecializedApartReceiveTheSharedConstants() throws Exception {
    final Specialization<java.util.function.IntSupplier> s = Specializer.of(MethodHandles.privateLookupIn(
            org.quasi.specializer.corpus.CorpusCalls.class, MethodHandles.lookup()))
        .method(org.quasi.specializer.corpus.CorpusCalls.class, "ackermannSmall", int.class, int.class)
        .known(0, 2).known(1, 3).budgets(new Budgets(8, 256, 2, 12_000)).shareCode(true)
        .as(java.util.function.IntSupplier.class).specialize();
    assertThat(s.summary().callsSpecialized()).isPositive();
    assertThat(s.function().getAsInt()).isEqualTo(org.quasi.specializer.corpus.CorpusCalls.ackermannSmall(2, 3));
  }

  @Property(tries = 40)
  void aSharedVersionAnswersAsTheGenericCode(
      @ForAll @Size(max = 5) final List<@IntRange(min = -99, max = 99) Integer> values, @ForAll @IntRange(min = -1000, max = 1000) final int x) throws Exception {
    final Node head = list(values);
    final Specialization<IntUnaryOperator> shared = sum(head, true);
    final Specialization<IntUnaryOperator> own = sum(head, false);
    assertThat(shared.function().applyAsInt(x)).isEqualTo(sum(head, x)).isEqualTo(own.function().applyAsInt(x));
    final Node other = list(values.stream().map(v -> v + 1).toList());
    assertThat(sum(other, true).function().getClass()).as("same length, same code")
        .isSameAs(shared.function().getClass());
  }
}
