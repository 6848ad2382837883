package org.quasi.bench.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.Specialization;

/**
 * What {@link InterpreterBenchmark}'s quasi variant measures: the interpreter folded away, not only the right
 * answers. A residual that still calls {@code Expr.eval} on a known node walks part of the tree at run time, and
 * runs at the generic interpreter's speed where the benchmark expects the hand-written program's.
 */
class InterpreterBenchmarkTest {

  @Test
  void theKnownProgramLeavesNoCallOnlyItsArithmetic() {
    final Specialization<IntBinaryOperator> s = InterpreterBenchmark.specialization();
    assertThat(s.summary().callsResidual()).as("calls left in %s", s.summary()).isZero();
    assertThat(s.summary().callsInlined()).as("the nodes' eval calls, inlined").isGreaterThan(0);
    assertThat(s.dump()).doesNotContain("INVOKE");
    final Expr program = Expr.program();
    for (int x = -40; x <= 40; x += 3) {
      for (int y = -40; y <= 40; y += 7) {
        assertThat(s.function().applyAsInt(x, y)).isEqualTo(Expr.run(program, x, y)).isEqualTo(Expr.hand(x, y));
      }
    }
  }
}
