package org.quasi.bench.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.Specialization;

/**
 * What {@link DispatchBenchmark}'s quasi variant measures: the options' tests folded and the mixing loop unrolled over
 * the known salt, as the hand-written encoding has them, not only the right answers.
 */
class DispatchBenchmarkTest {

  @Test
  void theKnownOptionsLeaveNoReadOfThemAndNoLoop() {
    final Specialization<IntToLongFunction> s = DispatchBenchmark.specialization();
    assertThat(s.summary().loopIterationsUnrolled()).as("%s", s.summary()).isEqualTo(Options.standard().rounds);
    assertThat(s.dump()).doesNotContain("GETFIELD org/quasi/bench/specializer/Options", "IALOAD", "GOTO");
    for (int v = -5000; v <= 5000; v += 13) {
      assertThat(s.function().applyAsLong(v)).isEqualTo(Options.encode(Options.standard(), v))
          .isEqualTo(Options.encodeStandard(v));
    }
  }
}
