package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.quasi.specializer.RandomPrograms.Args;
import org.quasi.specializer.validate.internal.Arities;

/**
 * The differential property over generated programs, where the corpus has only the methods someone wrote: a random
 * {@link RandomProgram} (ifs, bounded loops, early returns and throws, array reads and writes that may fail, divisions
 * that may, calls of a helper, locals reused with different meanings on different paths; on the heap, {@link
 * RandomHeap}: Node fields through paths that may be null, allocations that escape or not, boxes compared by identity,
 * synchronized blocks, statics), a random split of its arguments {@code (a, b, c, arr, n)} into known and unknown
 * (nothing known and everything known included), and random values. The residual code, run on the unknown arguments,
 * returns the same int (or throws the same exception class) and leaves the same state reachable from arr, n and the
 * program's statics (described identity-free by {@link NodeGraphs#describe}) as the original does, run on all of
 * them, each on its own copy of arr and n, the statics reset before each run. A trial runs 1 to 3 argument sets; a
 * fifth of the trials share code ({@link SpecializationRequest#shareCode}), each run specialized again. Some trials
 * specialize within small budgets.
 *
 * <p>A declined specialization is allowed but must be rare, and some residual code must be smaller than its
 * original, so that the property cannot hold by declining or by copying.
 */
class RandomProgramPropertyTest {
  private static final AtomicLong CLASSES = new AtomicLong();

  /**
   * One trial: the program, which arguments are known (bit i for argument i), 1 to 3 runs' arguments, the budgets,
   * whether code is shared: then each run is specialized again on its own known values with
   * {@code shareCode(true)}, and may reuse the code or the template of an earlier run's specialization; and whether
   * a known n comes with its fields, and those of every node reachable from it, assumed at their values
   * ({@link SpecializationRequest#assumeField}, as the validator and the version manager assume a known object's
   * fields): then each run is specialized again too, as a version manager would on a changed key.
   */
  record Trial(RandomProgram program, int mask, List<Args> runs, Budgets budgets, boolean share, boolean assume) {
    boolean known(final int i) {
      return (mask & (1 << i)) != 0;
    }

    /** Whether each run is specialized on its own known values. */
    boolean respecialize() {
      return share || assume && known(4);
    }

    @Override
    public String toString() {
      final StringBuilder s = new StringBuilder("\n").append(program).append("known:");
      for (int i = 0; i < 5; i++) {
        s.append(known(i) ? " " + List.of("a", "b", "c", "arr", "n").get(i) : "");
      }
      s.append(mask == 0 ? " nothing" : "").append(assume && known(4) ? ", n's graph with its fields assumed" : "")
          .append("\n").append(budgets).append(respecialize()
          ? "\n" + (share ? "shared code, " : "") + "runs (each specialized on its own known values):"
          : "\nruns (known values from the first; a known arr gets a later run's elements before it, a known n"
          + " its v and w):");
      runs.forEach(r -> s.append("\n  ").append(r));
      return s.append('\n').toString();
    }
  }

  /**
   * The functional interface a trial's residual code implements, and how a run calls it: by default an
   * {@link Arities} interface (every parameter an {@code Object}, so the residual class forwards to its method);
   * {@link ExactShapePropertyTest}'s has the residual method's exact types.
   */
  interface ResidualShape {
    /** Classes to define beside the program named {@code program} (internal names), in its loader. */
    Map<String, byte[]> besides(Trial t, String program);

    /** The interface to specialize as, seen from the program's class. */
    Class<?> type(Trial t, Class<?> program) throws ClassNotFoundException;

    /** Runs the residual code on the unknown arguments. */
    Object call(Object function, Object[] unknown) throws Throwable;

    /** Checks a specialization before its runs (nothing by default). */
    default void inspect(Trial t, Specialization<?> s, MethodHandles.Lookup lookup) throws Exception {
    }

    /**
     * Whether the interface's method takes every argument, known ones included
     * ({@link SpecializationRequest#asReplacement}); then {@link #call} gets them all.
     */
    default boolean replacement() {
      return false;
    }
  }

  /** The residual code through the {@link Arities} interface of its unknown arguments' count. */
  static final ResidualShape ARITIES = new ResidualShape() {
    @Override
    public Map<String, byte[]> besides(final Trial t, final String program) {
      return Map.of();
    }

    @Override
    public Class<?> type(final Trial t, final Class<?> program) {
      return Arities.ofArity(5 - Integer.bitCount(t.mask()));
    }

    @Override
    public Object call(final Object function, final Object[] unknown) {
      return Arities.call(function, unknown);
    }
  };

  @Provide
  Arbitrary<Trial> trials() {
    return Combinators.combine(RandomPrograms.programs(), RandomPrograms.masks(true),
        RandomPrograms.args(true).list().ofMinSize(1).ofMaxSize(3), RandomPrograms.budgets(),
        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)), Arbitraries.of(false, true)).as(Trial::new);
  }

  /** Trials of the grammar before the heap, drawn as it drew them (n null and unknown, nothing assumed). */
  @Provide
  Arbitrary<Trial> trialsOffTheHeap() {
    return Combinators.combine(RandomPrograms.programs(false), RandomPrograms.masks(false),
        RandomPrograms.args(false).list().ofMinSize(1).ofMaxSize(3), RandomPrograms.budgets(),
        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)))
        .as((p, m, r, b, s) -> new Trial(p, m, r, b, s, false));
  }

  /**
   * Seed 1: with {@code TailMerge}'s fix for a merged tail reading a temporary whose slot the other path reused
   * reverted, this fails at try 237 (the earlier seed, 20261128, no longer reaches that shape since the heap grammar).
   */
  @Property(tries = 1000, seed = "1", edgeCases = EdgeCasesMode.NONE)
  void residualBehavesLikeOriginal(@ForAll("trials") final Trial t) throws Exception {
    check(t);
  }

  /**
   * Seed 99 draws, at try 79, a program whose residual method is about 50 KB, with jumps beyond 32 KB both ways across
   * switches: before {@link org.quasi.specializer.internal.WideJumps}, ASM failed to write it and the specialization
   * was declined as an internal failure. (The programs of the grammar before the heap, which drew that one.)
   */
  @Property(tries = 100, seed = "99", edgeCases = EdgeCasesMode.NONE)
  void residualMethodsBeyond32KbAreWritten(@ForAll("trialsOffTheHeap") final Trial t) throws Exception {
    check(t);
  }

  /** The property on one trial (also run by hand with other seeds and more tries, to hunt). */
  static void check(final Trial t) throws Exception {
    check(t, ARITIES);
  }

  /** The property on one trial, the residual code implementing {@code shape}'s interface. */
  static void check(final Trial t, final ResidualShape shape) throws Exception {
    final Class<?> c = load(t, shape);
    final Class<?> node = c.getClassLoader().loadClass(c.getName() + "$Node");
    final Method f = c.getMethod("f", int.class, int.class, int.class, int[].class, node);
    final MethodHandles.Lookup lookup = (MethodHandles.Lookup) c.getMethod("lookup").invoke(null);
    Object[] known = null;
    Specialization<?> s = null;
    for (final Args run : t.runs()) {
      if (s == null || t.respecialize()) {
        known = run.fresh(node);
        s = specialize(lookup, f, t, known, shape.type(t, c), shape.replacement());
        if (s == null) {
          return;
        }
        shape.inspect(t, s, lookup);
      } else {
        // The caller may change a known object's fields after specializing (they are no quasi-invariants).
        if (t.known(3) && known[3] != null && run.arr() != null) {
          System.arraycopy(run.arr(), 0, (int[]) known[3], 0, Math.min(run.arr().length,
              ((int[]) known[3]).length));
        }
        if (t.known(4) && known[4] != null && run.n() != null) {
          node.getField("v").setInt(known[4], run.n().cells().get(0).v());
          node.getField("w").setInt(known[4], run.n().cells().get(0).w());
        }
      }
      final Object[] forOriginal = run.fresh(node);
      final Object[] forResidual = run.fresh(node);
      final List<Object> unknown = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        if (t.known(i)) {
          // The residual code holds a known arr or n itself (and a run before may have written it): the original
          // runs on a deep copy of its current state.
          forOriginal[i] = i == 3 && known[3] != null ? ((int[]) known[3]).clone()
              : i == 4 ? NodeGraphs.copy(known[4]) : known[i];
          forResidual[i] = known[i];
        } else {
          unknown.add(forResidual[i]);
        }
      }
      NodeGraphs.reset(c, node, run.s());
      final Outcome original = original(f, forOriginal);
      NodeGraphs.reset(c, node, run.s());
      final Object[] passed = shape.replacement() ? forResidual.clone() : unknown.toArray();
      final Outcome residual = residual(s, shape, passed, forResidual, c);
      assertThat(residual).as("%s\nfor %s\nresidual code:\n%s", t, run, s.dump()).isEqualTo(original);
    }
  }

  /** Specializes f on {@code known}'s values of t's known arguments, or returns null when that is declined. */
  private static Specialization<?> specialize(final MethodHandles.Lookup lookup, final Method f, final Trial t,
      final Object[] known, final Class<?> type, final boolean replacement) throws Exception {
    SpecializationRequest<Object> request = Specializer.of(lookup).method(f).budgets(t.budgets())
        .shareCode(t.share());
    for (int i = 0; i < 5; i++) {
      if (t.known(i)) {
        request = request.known(i, known[i]);
      }
    }
    if (t.assume() && t.known(4)) {
      request = NodeGraphs.assumeFields(request, known[4]);
    }
    final Specialization<?> s;
    try {
      s = (replacement ? request.asReplacement(type) : request.as(type)).specialize();
    } catch (SpecializationDeclined d) {
      // A crash of the specializer is reported as a decline: it is a failure, not a rare allowed outcome.
      if (String.valueOf(d.getMessage()).contains("failed internally")) {
        throw new AssertionError("the specializer crashed on" + t, d);
      }
      Statistics.label("specialization").collect("declined");
      Statistics.label("declined because").collect(String.valueOf(d.getMessage()).replaceAll("randomprograms/P\\d+",
          "P"));
      return null;
    } finally {
      Statistics.label("specialization").coverage(k -> {
        k.check("smaller").count(n -> n > 0);
        k.check("declined").percentage(p -> p < 2.0);
      });
    }
    final SpecializationSummary summary = s.summary();
    Statistics.label("specialization").collect(summary.instructionsAfter() < summary.instructionsBefore()
        ? "smaller" : "not smaller");
    if (t.share()) {
      Statistics.label("shared code").collect(s.residual().fromTemplate() ? "from a template" : "evaluated");
    }
    return s;
  }

  /**
   * What a run did: its result or exception class, then the state reachable from arr, n, s and sn after it (n the
   * caller's reference, whatever f assigned to its parameter).
   */
  record Outcome(String result, String state) {
    Outcome(final String result, final Object[] args, final Class<?> program) {
      this(result, NodeGraphs.describe(args[3], args[4], NodeGraphs.statics(program)[0],
          NodeGraphs.statics(program)[1]));
    }
  }

  private static Outcome original(final Method f, final Object[] args) {
    String result;
    try {
      result = "returned " + f.invoke(null, args);
    } catch (InvocationTargetException e) {
      result = "threw " + e.getCause().getClass().getName();
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
    return new Outcome(result, args, f.getDeclaringClass());
  }

  private static Outcome residual(final Specialization<?> s, final ResidualShape shape, final Object[] unknown,
      final Object[] args, final Class<?> program) {
    String result;
    try {
      result = "returned " + shape.call(s.function(), unknown);
    } catch (InvocationTargetException e) {
      result = "threw " + e.getCause().getClass().getName();
    } catch (Throwable e) {
      // DontCheck(IllegalCatch): what the residual code threw is the outcome compared.
      result = "threw " + e.getClass().getName();
    }
    return new Outcome(result, args, program);
  }

  /**
   * Defines the program's class and its Node class in a loader of their own, which serves their class files (the
   * specializer reads them).
   */
  static Class<?> load(final RandomProgram p) throws ClassNotFoundException {
    return load(p, Map.of(), "randomprograms/P" + CLASSES.incrementAndGet());
  }

  private static Class<?> load(final Trial t, final ResidualShape shape) throws ClassNotFoundException {
    final String name = "randomprograms/P" + CLASSES.incrementAndGet();
    return load(t.program(), shape.besides(t, name), name);
  }

  private static Class<?> load(final RandomProgram p, final Map<String, byte[]> besides, final String name)
      throws ClassNotFoundException {
    final Map<String, byte[]> classes = new java.util.HashMap<>(besides);
    classes.put(name, p.classFile(name));
    classes.put(RandomHeap.node(name), RandomHeap.nodeClassFile(name));
    return new ProgramLoader(classes).loadClass(name.replace('/', '.'));
  }

  /** Defines classes from their bytes (by internal name) and serves them as their class file resources. */
  private static final class ProgramLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    ProgramLoader(final Map<String, byte[]> classes) {
      super("random-program", RandomProgramPropertyTest.class.getClassLoader());
      this.classes = classes;
    }

    @Override
    protected Class<?> findClass(final String n) throws ClassNotFoundException {
      final byte[] bytes = classes.get(n.replace('.', '/'));
      if (bytes == null) {
        throw new ClassNotFoundException(n);
      }
      return defineClass(n, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(final String resource) {
      final byte[] bytes = resource.endsWith(".class")
          ? classes.get(resource.substring(0, resource.length() - ".class".length())) : null;
      return bytes != null ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(resource);
    }
  }
}
