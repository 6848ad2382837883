package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.quasi.specializer.corpus.Corpus;

/**
 * Every corpus method, deterministically: all arguments known, none known, and each one known alone, on a few seeds.
 * The random property test explores further; this one guarantees each method is exercised on every run.
 */
class CorpusCoverageTest {

  @Test
  void corpusHasAtLeastSixtyMethods() {
    assertThat(Corpus.cases()).hasSizeGreaterThanOrEqualTo(60);
  }

  @TestFactory
  Stream<DynamicTest> everyMethodEveryMask() {
    final List<DynamicTest> tests = new ArrayList<>();
    for (final Corpus.Case c : Corpus.cases()) {
      tests.add(DynamicTest.dynamicTest(c.toString(), () -> {
        final List<Integer> masks = new ArrayList<>(List.of(0, (1 << c.arity()) - 1));
        for (int i = 0; i < c.arity(); i++) {
          masks.add(1 << i);
        }
        for (long seed = 1; seed <= 4; seed++) {
          for (final int mask : masks) {
            Differential.assertAgrees(c, seed, mask);
          }
        }
      }));
    }
    return tests.stream();
  }
}
