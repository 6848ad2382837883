package org.quasi.specializer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * f's Node argument: its shape as generated (a chain of one to three nodes, sometimes a cycle, with data arrays that
 * two nodes may share), built into a program's own Node class; deep copies; and a description of the state reachable
 * from some roots, for comparing runs.
 */
final class NodeGraphs {
  private NodeGraphs() {
  }

  /**
   * One node: its ints, its next ({@code 0} the following node or null after the last, {@code 1} null, {@code 2} the
   * first node: a cycle), and its data (3: null, else one of the shape's arrays).
   */
  record Cell(int v, int w, int next, int data) {
  }

  /** n's chain of cells (the first is n) and the data arrays they point to. */
  record Shape(List<Cell> cells, List<int[]> arrays) {
    @Override
    public String toString() {
      final StringBuilder s = new StringBuilder();
      for (int i = 0; i < cells.size(); i++) {
        final Cell c = cells.get(i);
        s.append(i == 0 ? "" : " ").append("[").append(i).append("] v=").append(c.v()).append(" w=").append(c.w())
            .append(" next=").append(next(i) < 0 ? "null" : "[" + next(i) + "]").append(" data=")
            .append(data(c) == null ? "null" : "arrays[" + c.data() + "]");
      }
      arrays.forEach(a -> s.append(" ").append(Arrays.toString(a)));
      return s.toString();
    }

    int next(final int i) {
      return switch (cells.get(i).next()) {
        case 0 -> i + 1 < cells.size() ? i + 1 : -1;
        case 1 -> -1;
        default -> 0;
      };
    }

    int[] data(final Cell c) {
      return c.data() < 3 && !arrays.isEmpty() ? arrays.get(c.data() % arrays.size()) : null;
    }
  }

  /** Mostly a chain of two or three nodes of small ints, with data; an eighth of them null. */
  static Arbitrary<Shape> shapes() {
    final Arbitrary<Integer> ints = RandomPrograms.pick(Tuple.of(5, Arbitraries.integers().between(-3, 9)),
        Tuple.of(1, Arbitraries.integers()));
    final Arbitrary<Cell> cell = Combinators.combine(ints, ints,
        Arbitraries.frequency(Tuple.of(6, 0), Tuple.of(1, 1), Tuple.of(1, 2)), Arbitraries.integers().between(0, 3))
        .as(Cell::new);
    final Arbitrary<int[]> array = Arbitraries.integers().between(-5, 20).list().ofMaxSize(4)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    final Arbitrary<Shape> shape = Combinators.combine(cell.list().ofMinSize(1).ofMaxSize(3)
        .withSizeDistribution(net.jqwik.api.RandomDistribution.uniform()), array.list().ofMinSize(1).ofMaxSize(2))
        .as(Shape::new);
    return RandomPrograms.pick(Tuple.of(1, Arbitraries.<Shape>just(null)), Tuple.of(7, shape));
  }

  /** A fresh object graph of {@code node}'s class in {@code shape}, or null. */
  static Object build(final Shape shape, final Class<?> node) {
    if (shape == null) {
      return null;
    }
    try {
      final List<Object> nodes = new ArrayList<>();
      for (int i = 0; i < shape.cells().size(); i++) {
        nodes.add(node.getConstructor().newInstance());
      }
      final Map<int[], int[]> arrays = new IdentityHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        final Cell c = shape.cells().get(i);
        final Object o = nodes.get(i);
        node.getField("v").setInt(o, c.v());
        node.getField("w").setInt(o, c.w());
        node.getField("next").set(o, shape.next(i) < 0 ? null : nodes.get(shape.next(i)));
        final int[] data = shape.data(c);
        node.getField("data").set(o, data == null ? null : arrays.computeIfAbsent(data, int[]::clone));
      }
      return nodes.get(0);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A deep copy of a Node graph (cycles and shared arrays kept), or null. */
  static Object copy(final Object root) {
    return copy(root, new IdentityHashMap<>());
  }

  private static Object copy(final Object o, final Map<Object, Object> copies) {
    if (o == null || copies.containsKey(o)) {
      return copies.get(o);
    }
    if (o instanceof int[] a) {
      final int[] c = a.clone();
      copies.put(o, c);
      return c;
    }
    try {
      final Class<?> node = o.getClass();
      final Object c = node.getConstructor().newInstance();
      copies.put(o, c);
      node.getField("v").setInt(c, node.getField("v").getInt(o));
      node.getField("w").setInt(c, node.getField("w").getInt(o));
      node.getField("data").set(c, copy(node.getField("data").get(o), copies));
      node.getField("next").set(c, copy(node.getField("next").get(o), copies));
      return c;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The state reachable from {@code roots} (int arrays, Nodes, boxed ints, null), identity-free: each object is
   * numbered at its first visit and named by its number at later ones, so aliasing and cycles show alike.
   */
  static String describe(final Object... roots) {
    final StringBuilder s = new StringBuilder();
    final Map<Object, Integer> seen = new IdentityHashMap<>();
    for (final Object r : roots) {
      describe(r, seen, s);
      s.append("; ");
    }
    return s.toString();
  }

  private static void describe(final Object o, final Map<Object, Integer> seen, final StringBuilder s) {
    if (o == null || o instanceof Integer) {
      s.append(o);
      return;
    }
    final Integer id = seen.get(o);
    if (id != null) {
      s.append('#').append(id);
      return;
    }
    seen.put(o, seen.size());
    s.append('#').append(seen.size() - 1);
    if (o instanceof int[] a) {
      s.append(Arrays.toString(a));
      return;
    }
    try {
      final Class<?> node = o.getClass();
      s.append("{v=").append(node.getField("v").getInt(o)).append(" w=").append(node.getField("w").getInt(o))
          .append(" data=");
      describe(node.getField("data").get(o), seen, s);
      s.append(" next=");
      describe(node.getField("next").get(o), seen, s);
      s.append('}');
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code request} assuming v, w, next and data of every node reachable from {@code root} at their values now. */
  static SpecializationRequest<Object> assumeFields(final SpecializationRequest<Object> request, final Object root) {
    SpecializationRequest<Object> r = request;
    final Map<Object, Boolean> seen = new IdentityHashMap<>();
    try {
      for (Object o = root; o != null && seen.put(o, true) == null; o = o.getClass().getField("next").get(o)) {
        for (final String f : List.of("v", "w", "next", "data")) {
          r = r.assumeField(o, o.getClass(), f, o.getClass().getField(f).get(o));
        }
      }
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    return r;
  }

  /** Before a run: s as the run's arguments say; sn null when s is odd, else a fresh {@code Node(s, 1, null)}. */
  static void reset(final Class<?> program, final Class<?> node, final int s) {
    try {
      program.getField("s").setInt(null, s);
      program.getField("sn").set(null, s % 2 != 0 ? null
          : node.getConstructor(int.class, int.class, node).newInstance(s, 1, null));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** s and sn of the program class. */
  static Object[] statics(final Class<?> program) {
    try {
      return new Object[] {program.getField("s").getInt(null), program.getField("sn").get(null)};
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
