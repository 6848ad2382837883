package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A loop whose control is known unrolls while its iterations fold objects, and stays rolled once iterations that only
 * fold their counter's arithmetic have grown past a few times the loop's size (bcprov's {@code Nat.zero(len, z, off)}
 * over a known count and array went from 14 instructions to one store per element).
 */
class LoopGrowthTest {

  /** {@code Nat.zero}'s loop: each iteration folds only {@code off + i}. */
  static int zero(final int len, final int[] z, final int off) {
    for (int i = 0; i < len; ++i) {
      z[off + i] = 0;
    }
    return len;
  }

  /** A list whose links and values are final: each iteration of a walk over it folds the node's fields. */
  static final class Node {
    final int value;
    final Node next;

    Node(final int value, final Node next) {
      this.value = value;
      this.next = next;
    }
  }

  static int sum(final Node head, final int x) {
    int s = x;
    for (Node n = head; n != null; n = n.next) {
      s += n.value;
    }
    return s;
  }

  @Test
  void aCountedLoopFoldingOnlyItsIndexStaysRolled() throws Exception {
    final int[] z = new int[80];
    Arrays.fill(z, 7);
    final Specialization<IntSupplier> s = Specializer.of(MethodHandles.lookup())
        .method(LoopGrowthTest.class, "zero", int.class, int[].class, int.class).known(0, 64).known(1, z)
        .known(2, 8).as(IntSupplier.class).specialize();
    final SpecializationSummary summary = s.summary();
    // Unrolled, the 64 stores alone would be 256 instructions.
    assertThat(summary.instructionsAfter()).as("%s\n%s", summary, s.dump()).isLessThan(60);
    assertThat(s.function().getAsInt()).isEqualTo(64);
    final int[] expected = new int[80];
    Arrays.fill(expected, 7);
    Arrays.fill(expected, 8, 72, 0);
    assertThat(z).containsExactly(expected);
  }

  @Test
  void aCountedLoopOfAFewIterationsUnrolls() throws Exception {
    final int[] z = new int[8];
    Arrays.fill(z, 7);
    final Specialization<IntSupplier> s = Specializer.of(MethodHandles.lookup())
        .method(LoopGrowthTest.class, "zero", int.class, int[].class, int.class).known(0, 3).known(1, z)
        .known(2, 2).as(IntSupplier.class).specialize();
    assertThat(s.summary().loopIterationsUnrolled()).as(s.dump()).isGreaterThanOrEqualTo(3);
    assertThat(s.function().getAsInt()).isEqualTo(3);
    assertThat(z).containsExactly(7, 7, 0, 0, 0, 7, 7, 7);
  }

  @Test
  void aWalkThatFoldsObjectsUnrollsWhateverItsLength() throws Exception {
    Node head = null;
    int total = 0;
    for (int i = 40; i > 0; i--) {
      head = new Node(i * 3, head);
      total += i * 3;
    }
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(LoopGrowthTest.class, "sum", Node.class, int.class).known(0, head).as(IntUnaryOperator.class)
        .specialize();
    assertThat(s.summary().loopIterationsUnrolled()).as(s.dump()).isGreaterThanOrEqualTo(40);
    assertThat(s.dump()).as("every node's fields folded").doesNotContain("GETFIELD");
    assertThat(s.function().applyAsInt(5)).isEqualTo(total + 5);
  }
}
