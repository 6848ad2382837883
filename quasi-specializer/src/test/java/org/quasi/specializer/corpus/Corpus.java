package org.quasi.specializer.corpus;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.quasi.specializer.corpus.CorpusCalls.Accumulator;
import org.quasi.specializer.corpus.Shapes.Base;
import org.quasi.specializer.corpus.Shapes.Shape;

/**
 * The differential corpus: every public method of the corpus classes, with a generator of fresh, reproducible
 * arguments for each (the same seed builds equal but distinct object graphs, so the original and the residual code
 * each get their own heap to mutate).
 */
public final class Corpus {
  /** Full-privilege lookup in the corpus package: residual classes become nestmates of this class. */
  public static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private static final String[] STRINGS = {"add", "sub", "mul", "", "abc", "hello", "a"};

  private Corpus() {
  }

  /** One corpus method and whether its int arguments may take extreme values (no long loops then). */
  public record Case(Method method, boolean extremes) {
    public int arity() {
      return method.getParameterCount() + (Modifier.isStatic(method.getModifiers()) ? 0 : 1);
    }

    public Class<?> argumentType(final int i) {
      final boolean instance = !Modifier.isStatic(method.getModifiers());
      return instance && i == 0 ? method.getDeclaringClass() : method.getParameterTypes()[instance ? i - 1 : i];
    }

    /** Builds the arguments for {@code seed}; equal seeds give equal, distinct graphs. */
    public Object[] arguments(final long seed) {
      final Random r = new Random(seed);
      final Object[] args = new Object[arity()];
      for (int i = 0; i < args.length; i++) {
        args[i] = value(argumentType(i), r, extremes);
      }
      return args;
    }

    @Override
    public String toString() {
      return method.getDeclaringClass().getSimpleName() + "." + method.getName();
    }
  }

  public static List<Case> cases() {
    final List<Case> cases = new ArrayList<>();
    add(cases, CorpusArith.class, true);
    add(cases, CorpusControl.class, false);
    add(cases, CorpusCalls.class, false);
    add(cases, Accumulator.class, false);
    add(cases, CorpusHeap.class, false);
    add(cases, CorpusStack.class, false);
    add(cases, CorpusHandlers.class, false);
    add(cases, CorpusSwitches.class, false);
    add(cases, CorpusEscape.class, false);
    add(cases, CorpusTypes.class, false);
    add(cases, CorpusEscapeHandlers.class, false);
    add(cases, CorpusCleanup.class, false);
    return cases;
  }

  private static void add(final List<Case> cases, final Class<?> c, final boolean extremes) {
    Arrays.stream(c.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !m.getName().equals("toString"))
        .sorted(Comparator.comparing(Method::getName))
        .forEach(m -> cases.add(new Case(m, extremes)));
  }

  static Object value(final Class<?> t, final Random r, final boolean extremes) {
    if (t == int.class) {
      return extremes && r.nextInt(4) == 0
          ? new int[] {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE, 1000, 123456, -100, 7, 31}[r.nextInt(10)]
          : r.nextInt(21) - 5;
    }
    if (t == long.class) {
      return extremes && r.nextInt(4) == 0
          ? new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 40}[r.nextInt(5)]
          : (long) (r.nextInt(41) - 10);
    }
    if (t == double.class) {
      return new double[] {r.nextGaussian() * 10, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, 1.5, 3,
        -2.25}[r.nextInt(8)];
    }
    if (t == float.class) {
      return new float[] {(float) r.nextGaussian(), 0f, -0f, Float.NaN, 2.5f, -7f}[r.nextInt(6)];
    }
    if (t == boolean.class) {
      return r.nextBoolean();
    }
    if (t == char.class) {
      return "aZ3 _q".charAt(r.nextInt(6));
    }
    if (t == byte.class) {
      return (byte) (r.nextInt(256) - 128);
    }
    if (t == short.class) {
      return (short) (r.nextInt(2000) - 1000);
    }
    if (t == String.class) {
      final int k = r.nextInt(STRINGS.length + 2);
      // A non-interned copy checks that identity is preserved; null checks the null paths.
      return k < STRINGS.length ? STRINGS[k] : k == STRINGS.length ? new String("abc") : null;
    }
    if (t == int[].class) {
      return r.nextInt(12) == 0 ? null : r.ints(r.nextInt(6), -5, 10).toArray();
    }
    if (t == long[].class) {
      return r.longs(r.nextInt(5), -50, 50).toArray();
    }
    if (t == double[].class) {
      return r.doubles(r.nextInt(5)).toArray();
    }
    if (t == int[][].class) {
      final int[][] m = new int[r.nextInt(4)][];
      for (int i = 0; i < m.length; i++) {
        m[i] = r.ints(r.nextInt(5), 0, 9).toArray();
      }
      return m;
    }
    if (t == Object[].class) {
      final Object[] a = new Object[r.nextInt(5)];
      for (int i = 0; i < a.length; i++) {
        a[i] = new Object[] {null, "s", 1}[r.nextInt(3)];
      }
      return a;
    }
    if (t == Node.class) {
      return r.nextInt(10) == 0 ? null : Node.list(r.ints(r.nextInt(6), -3, 9).toArray());
    }
    if (t == Config.class) {
      return new Config(r.nextInt(3), r.ints(r.nextInt(5), -2, 6).toArray(), STRINGS[r.nextInt(STRINGS.length)],
          r.nextInt(6));
    }
    if (t == Shape.class || t == Base.class) {
      return Shapes.of(r.nextInt(3), 1 + r.nextInt(4));
    }
    if (t == Shape[].class) {
      final Shape[] a = new Shape[r.nextInt(5)];
      for (int i = 0; i < a.length; i++) {
        a[i] = Shapes.of(r.nextInt(3), 1 + r.nextInt(3));
      }
      return a;
    }
    if (t == CorpusEscape.Holder.class) {
      final CorpusEscape.Holder h = new CorpusEscape.Holder();
      h.count = r.nextInt(3);
      return h;
    }
    if (t == CorpusEscapeHandlers.Sink.class) {
      return new CorpusEscapeHandlers.Recorder(r.nextInt(3) - 1);
    }
    if (t == Accumulator.class) {
      return new Accumulator(r.nextInt(5));
    }
    if (t == Color.class) {
      return r.nextInt(8) == 0 ? null : Color.values()[r.nextInt(Color.values().length)];
    }
    if (t == Integer.class) {
      return r.nextInt(8) == 0 ? null : new int[] {1, 127, 128, -128, -129, 1000, 0}[r.nextInt(7)];
    }
    if (t == Object.class) {
      return new Object[] {null, "str", 42, new int[] {1, 2}, 'c'}[r.nextInt(5)];
    }
    throw new IllegalArgumentException("no generator for " + t);
  }

  /** Describes a value or the state of an object graph, for comparing the original's and the residual's. */
  public static String describe(final Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Object[] a) {
      return Arrays.stream(a).map(Corpus::describe).collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
    if (o instanceof int[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof long[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof double[] a) {
      return Arrays.toString(a);
    }
    if (o instanceof Shape s) {
      return s.getClass().getSimpleName() + ":" + s.area();
    }
    if (o instanceof Double d) {
      return "D" + Double.doubleToLongBits(d);
    }
    if (o instanceof Float f) {
      return "F" + Float.floatToIntBits(f);
    }
    return o.getClass().getSimpleName() + ":" + o;
  }
}
