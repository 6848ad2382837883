package org.quasi.specializer;


import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.quasi.specializer.corpus.Corpus;

/**
 * The differential property over the whole corpus: for random splits of the arguments into known and unknown and
 * random values, the residual code returns the same value (or throws the same exception type) and leaves the heap in
 * the same state as the original.
 */
class CorpusPropertyTest {
  private static final List<Corpus.Case> CASES = Corpus.cases();

  @Property(tries = 500)
  void residualBehavesLikeOriginal(@ForAll @IntRange(min = 0, max = 10_000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final Corpus.Case c = CASES.get(which % CASES.size());
    Differential.assertAgrees(c, seed, mask);
  }

  @Property(tries = 100)
  void residualBehavesLikeOriginalWithTinyBudgets(@ForAll @IntRange(min = 0, max = 10_000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final Corpus.Case c = CASES.get(which % CASES.size());
    Differential.assertAgrees(c, seed, mask, new Budgets(1, 2, 1, 200));
  }
}
