package org.quasi.specializer;


import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.CorpusEscapeHandlers;

/**
 * Escape analysis together with residual handlers and monitors: every split of the arguments into known and unknown
 * of every {@link CorpusEscapeHandlers} method, on many argument draws, behaves like the original (return value or
 * exception type, and the arguments' final state). The draws make {@code record} throw after storing the object,
 * so a handler that saw a re-created copy instead of the escaped object would answer differently.
 */
class EscapeHandlersTest {

  static Stream<Corpus.Case> cases() {
    return Arrays.stream(CorpusEscapeHandlers.class.getDeclaredMethods())
        .filter(m -> java.lang.reflect.Modifier.isPublic(m.getModifiers()))
        .sorted(Comparator.comparing(Method::getName))
        .map(m -> new Corpus.Case(m, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everySplitBehavesLikeTheOriginal(final Corpus.Case c) throws SpecializationDeclined {
    for (int mask = 0; mask < 1 << c.arity(); mask++) {
      for (long seed = 0; seed < 40; seed++) {
        Differential.assertAgrees(c, seed, mask);
      }
    }
  }
}
