package org.quasi.specializer;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.quasi.specializer.corpus.Config;
import org.quasi.specializer.corpus.Corpus;
import org.quasi.specializer.corpus.Node;

/**
 * Runs one corpus method twice on equal, distinct inputs — the original through reflection, the residual code of a
 * specialization on the known part through its functional interface — and describes both outcomes: the result (or the
 * exception type) and the final state of every argument.
 */
final class Differential {
  private Differential() {
  }

  /** The outcome of one run: result or exception type, then the state of every argument afterwards. */
  record Outcome(String result, List<String> arguments) {
  }

  /** The two outcomes, and the specialization that produced the second. */
  record Comparison(Outcome original, Outcome residual, Specialization<?> specialization) {
  }

  /** Asserts that the residual code of {@code c}, split by {@code mask}, behaves as the original on seed's values. */
  static void assertAgrees(final Corpus.Case c, final long seed, final int mask) throws SpecializationDeclined {
    assertAgrees(c, seed, mask, Budgets.DEFAULT);
  }

  /** As {@link #assertAgrees(Corpus.Case, long, int)}, specialized within {@code budgets}. */
  static void assertAgrees(final Corpus.Case c, final long seed, final int mask, final Budgets budgets)
      throws SpecializationDeclined {
    final Comparison r = compare(c, seed, mask, budgets);
    org.assertj.core.api.Assertions.assertThat(r.residual())
        .as("%s seed %d mask %d\n%s", c, seed, mask, r.specialization().dump()).isEqualTo(r.original());
  }

  static Comparison compare(final Corpus.Case c, final long seed, final int mask) throws SpecializationDeclined {
    return compare(c, seed, mask, Budgets.DEFAULT);
  }

  static Comparison compare(final Corpus.Case c, final long seed, final int mask, final Budgets budgets)
      throws SpecializationDeclined {
    final Object[] forOriginal = c.arguments(seed);
    final Object[] forResidual = c.arguments(seed);
    SpecializationRequest<Object> request = Specializer.of(lookupFor(c)).method(c.method())
        .quasiInvariant(Node.class, "value", "next")
        .quasiInvariant(Config.class, "mode", "weights", "name")
        .budgets(budgets);
    final List<Object> unknown = new ArrayList<>();
    for (int i = 0; i < c.arity(); i++) {
      final boolean isReceiver = i == 0 && !java.lang.reflect.Modifier.isStatic(c.method().getModifiers());
      if ((mask & (1 << i)) != 0 && !(isReceiver && forResidual[i] == null)) {
        request = request.known(i, forResidual[i]);
      } else {
        unknown.add(forResidual[i]);
      }
    }
    final Specialization<?> s = request.as(org.quasi.specializer.validate.internal.Arities.ofArity(unknown.size())).specialize();
    final Outcome original = runOriginal(c, forOriginal);
    String residualResult;
    try {
      residualResult = Corpus.describe(org.quasi.specializer.validate.internal.Arities.call(s.function(), unknown.toArray()));
    } catch (RuntimeException | Error e) {
      residualResult = "threw " + e.getClass().getName();
    }
    return new Comparison(original, new Outcome(residualResult, describeAll(forResidual)), s);
  }

  /** A full-privilege lookup in the method's own class, as a caller specializing its own code would have. */
  static java.lang.invoke.MethodHandles.Lookup lookupFor(final Corpus.Case c) {
    try {
      return java.lang.invoke.MethodHandles.privateLookupIn(c.method().getDeclaringClass(), Corpus.LOOKUP);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Outcome runOriginal(final Corpus.Case c, final Object[] args) {
    String result;
    try {
      final boolean instance = !java.lang.reflect.Modifier.isStatic(c.method().getModifiers());
      final Object receiver = instance ? args[0] : null;
      final Object[] rest = instance ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
      if (instance && receiver == null) {
        throw new NullPointerException();
      }
      result = Corpus.describe(c.method().invoke(receiver, rest));
    } catch (InvocationTargetException e) {
      result = "threw " + e.getCause().getClass().getName();
    } catch (NullPointerException e) {
      result = "threw " + e.getClass().getName();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return new Outcome(result, describeAll(args));
  }

  private static List<String> describeAll(final Object[] args) {
    final List<String> out = new ArrayList<>();
    for (final Object a : args) {
      out.add(Corpus.describe(a));
    }
    return out;
  }
}
