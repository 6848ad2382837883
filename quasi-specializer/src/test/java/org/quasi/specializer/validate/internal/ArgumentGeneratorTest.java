package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Equal seeds give equal, distinct values; types with no generator are named. */
class ArgumentGeneratorTest {
  private final ArgumentGenerator generator = new ArgumentGenerator();

  /** A class with only a simple constructor. */
  public static final class Point {
    public final int x;
    public final String label;

    public Point(final int x, final String label) {
      this.x = x;
      this.label = label;
    }
  }

  /** A collection of a library: its constructor makes it empty, its {@code add} fills it and refuses negatives. */
  public static final class Bag {
    private final java.util.List<Integer> items = new java.util.ArrayList<>();

    public Bag() {
    }

    public void add(final int x) {
      if (x < 0) {
        throw new IllegalArgumentException("negative");
      }
      items.add(x);
    }

    public int size() {
      return items.size();
    }
  }

  /**
   * A list of a library whose {@code put(index, value)} pads with nulls up to the index, as org.json's
   * {@code JSONArray.put(int, boolean)} does; it refuses, and remembers, an index that would pad past a thousand.
   */
  public static final class Padded {
    private final java.util.List<Object> items = new java.util.ArrayList<>();
    private int farthest = -1;

    public Padded() {
    }

    public void put(final int index, final boolean value) {
      farthest = Math.max(farthest, index);
      if (index > 1000) {
        throw new IllegalArgumentException("would pad " + index + " nulls");
      }
      while (items.size() <= index) {
        items.add(null);
      }
      items.set(Math.max(index, 0), value);
    }
  }

  @SuppressWarnings("unused")
  private static void shapes(final List<String> a, final Map<Integer, long[]> b, final Point[] c,
      final Thread.State d, final Object e) {
  }

  @Property(tries = 200)
  void equalSeedsGiveEqualDistinctValues(@ForAll final long seed) throws Exception {
    final Method m = ArgumentGeneratorTest.class.getDeclaredMethod("shapes", List.class, Map.class, Point[].class,
        Thread.State.class, Object.class);
    for (final java.lang.reflect.Type t : m.getGenericParameterTypes()) {
      final Object one = generator.generate(t, new Random(seed), false);
      final Object two = generator.generate(t, new Random(seed), false);
      assertThat(Describer.describe(one)).isEqualTo(Describer.describe(two));
      if (one != null && !(one instanceof Enum<?>) && !(one instanceof String) && !(one instanceof Number)) {
        assertThat(one).as("a fresh copy, not the same object").isNotSameAs(two);
      }
    }
  }

  /**
   * A constructed object is filled through its own {@code add}: sizes from 0 to 5 over many draws, the same for the
   * same seed, and an element it refuses (a negative) only ends the filling.
   */
  @Test
  void constructedCollectionsAreFilledThroughTheirOwnAdd() throws Exception {
    assertThat(ArgumentGenerator.filler(Bag.class)).isEqualTo(Bag.class.getMethod("add", int.class));
    assertThat(ArgumentGenerator.filler(Point.class)).isNull();
    final java.util.Set<Integer> sizes = new java.util.TreeSet<>();
    for (long seed = 0; seed < 200; seed++) {
      final Bag one = (Bag) generator.generate(Bag.class, new Random(seed), true);
      final Bag two = (Bag) generator.generate(Bag.class, new Random(seed), true);
      assertThat(Describer.describe(one)).isEqualTo(Describer.describe(two));
      sizes.add(one.size());
    }
    assertThat(sizes).contains(0, 1, 2, 3).allMatch(n -> n <= 5);
  }

  /**
   * A {@code put}'s integral first argument is drawn as small as a constructor's sizes: it may be an index that a list
   * pads up to (a drawn {@code Integer.MAX_VALUE} made org.json's {@code JSONArray} hang, and its methods were skipped).
   */
  @Test
  void anIndexAPutPadsToIsSmall() throws Exception {
    for (long seed = 0; seed < 300; seed++) {
      final Padded filled = (Padded) generator.generate(Padded.class, new Random(seed), true);
      assertThat(filled.farthest).as("seed %d", seed).isBetween(-1, 6);
    }
  }

  @Test
  void unsupportedTypesAreNamed() {
    assertThat(generator.problem(Thread.class)).isEqualTo("no generator for parameter type java.lang.Thread");
    assertThat(generator.problem(Point.class)).isNull();
    assertThat(generator.problem(Runnable.class)).contains("java.lang.Runnable");
  }
}
