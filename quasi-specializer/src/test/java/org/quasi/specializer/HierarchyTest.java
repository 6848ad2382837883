package org.quasi.specializer;

import static org.quasi.specializer.Residuals.assertNone;

import java.lang.invoke.MethodHandles;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusTypes;

/**
 * Class hierarchies (casts, instanceof, overriding, default methods), long/double comparisons and
 * multi-dimensional arrays: the residual code behaves like the original, and known receivers fold.
 */
class HierarchyTest {
  private static final List<Corpus.Case> CASES = Corpus.cases().stream()
      .filter(c -> c.method().getDeclaringClass() == CorpusTypes.class).toList();

  @Property(tries = 200)
  void residualBehavesLikeOriginal(@ForAll @IntRange(min = 0, max = 10_000) final int which,
      @ForAll final long seed, @ForAll final int mask) throws SpecializationDeclined {
    final Corpus.Case c = CASES.get(which % CASES.size());
    Differential.assertAgrees(c, seed, mask);
  }

  /**
   * {@code Shapes.of(kind, scale)} with a known kind: the shape is a virtual object of a known class, so its
   * overridden and default methods, casts and instanceof fold and nothing is allocated.
   */
  @Test
  void knownClassFoldsOverridingCastsAndDefaultMethods() throws Exception {
    final ResidualCode r = Specializer.of(MethodHandles.privateLookupIn(CorpusTypes.class, Corpus.LOOKUP))
        .method(CorpusTypes.class, "overriding", int.class, int.class).known(0, 1).residual();
    assertNone(r, "NEW", "INVOKEVIRTUAL", "INVOKEINTERFACE", "CHECKCAST", "INSTANCEOF");
  }
}
