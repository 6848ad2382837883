package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Residual code as a replacement of its method ({@link SpecializationRequest#asReplacement}): the interface's method
 * takes every argument, known ones among unknown ones and of both slot sizes, and the residual code ignores the known
 * ones. Compared with the method on generated arguments (results and heap effects), with the copy of small residual
 * code in the interface method and with the call of large residual code, shared or not.
 */
class ReplacementTest {

  static final class Box {
    int n;
    long total;
  }

  /** The entry interface: the method's arguments, as a version manager's dispatch receives them. */
  public interface Mixed {
    long apply(int a, long k, double d, Box b, long y);
  }

  /** The same, with references and primitives as supertypes and boxes: the interface method adapts and calls. */
  public interface Loose {
    Object apply(int a, Object k, double d, Object b, Object y);
  }

  static long mixed(final int a, final long k, final double d, final Box b, final long y) {
    long acc = a + y;
    for (int i = 0; i < b.n; i++) {
      acc = acc * 31 + k + (long) d;
    }
    b.total += acc;
    return acc ^ b.total;
  }

  /** Large once specialized: the interface method calls the residual method rather than holding a copy. */
  static long large(final int a, final long k, final double d, final Box b, final long y) {
    long acc = y;
    for (int i = 0; i < b.n; i++) {
      acc = acc * k + (a ^ i) + (long) (d * i);
      acc = acc % 1_000_003 == 0 ? acc + 1 : acc - (acc >> 3);
      acc += i % 3 == 0 ? a : i % 3 == 1 ? k : (long) d;
    }
    b.total += acc;
    return acc;
  }

  @Property(tries = 60)
  void replacesTheMethodOnEveryArgument(@ForAll @IntRange(min = 0, max = 6) final int n, @ForAll final long k,
      @ForAll final int a, @ForAll final double d, @ForAll final long y, @ForAll final boolean share)
      throws Exception {
    final Box known = new Box();
    known.n = n;
    final Box generic = new Box();
    generic.n = n;
    final Specialization<Mixed> s = request("mixed", known, k).shareCode(share).asReplacement(Mixed.class)
        .specialize();
    // The known values fold: the loop is unrolled on the box's n, k is a constant, and neither is read.
    assertThat(s.function()).isInstanceOf(Mixed.class);
    assertThat(s.summary().loopIterationsUnrolled()).isEqualTo(n);
    assertThat(s.function().apply(a, k, d, known, y)).isEqualTo(mixed(a, k, d, generic, y));
    assertThat(known.total).isEqualTo(generic.total);
    assertThat(calls(s, "apply")).as("a copy of the residual code, not a call").doesNotContain("specialized");

    final Box knownLarge = new Box();
    knownLarge.n = 24;
    final Box genericLarge = new Box();
    genericLarge.n = 24;
    final Specialization<Mixed> l = request("large", knownLarge, k).shareCode(share).asReplacement(Mixed.class)
        .specialize();
    assertThat(calls(l, "apply")).as("large residual code is called").contains("specialized");
    assertThat(l.function().apply(a, k, d, knownLarge, y)).isEqualTo(large(a, k, d, genericLarge, y));
    assertThat(knownLarge.total).isEqualTo(genericLarge.total);

    final Box loose = new Box();
    loose.n = n;
    final Box looseGeneric = new Box();
    looseGeneric.n = n;
    final Specialization<Loose> o = request("mixed", loose, k).shareCode(share).asReplacement(Loose.class)
        .specialize();
    assertThat(o.function().apply(a, k, d, loose, y)).isEqualTo(mixed(a, k, d, looseGeneric, y));
    assertThat(loose.total).isEqualTo(looseGeneric.total);
  }

  @Property(tries = 10)
  void anInterfaceTakingTheUnknownArgumentsOnlyIsRefused(@ForAll final long k) {
    final Box b = new Box();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> request("mixed", b, k)
            .asReplacement(java.util.function.LongBinaryOperator.class).specialize())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a replacement of the method takes its 5 arguments");
  }

  private static SpecializationRequest<Object> request(final String name, final Box b, final long k)
      throws NoSuchMethodException {
    return Specializer.of(MethodHandles.lookup())
        .method(ReplacementTest.class, name, int.class, long.class, double.class, Box.class, long.class)
        .known(1, k).known(3, b).quasiInvariant(Box.class, "n");
  }

  private static java.util.List<String> calls(final Specialization<?> s, final String name) {
    return InterfaceMethodShapesTest.calls(InterfaceMethodShapesTest.classOf(s), name);
  }
}
