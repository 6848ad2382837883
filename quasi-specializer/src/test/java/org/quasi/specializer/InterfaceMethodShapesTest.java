package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.LongBinaryOperator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Shapes of residual code that the interface method holding a copy of it must keep: recursion, residual methods
 * specialized apart, two-slot locals, monitors and handlers, switches.
 */
class InterfaceMethodShapesTest {

  static final class Box {
    int n;
    long total;
    final Object lock = new Object();
  }

  /** Recursion on an unknown: specialized apart, called from the copy. */
  static int rec(final Box b, final int n) {
    if (n <= 0) {
      return b.n;
    }
    return rec(b, n - 1) + (n & 3);
  }

  static long longs(final Box b, final long x, final long y) {
    long acc = x;
    for (int i = 0; i < b.n; i++) {
      acc = acc * 31 + y;
    }
    b.total += acc;
    return acc ^ b.total;
  }

  static double doubles(final Box b, final double x, final double y) {
    double acc = x;
    synchronized (b.lock) {
      for (int i = 0; i < b.n; i++) {
        acc = acc * 1.5 + y;
      }
      try {
        if (acc > 1e6) {
          throw new ArithmeticException();
        }
      } catch (ArithmeticException e) {
        acc = -1;
      }
    }
    return acc;
  }

  static int switched(final Box b, final int x) {
    int r;
    switch (x) {
      case 1: r = b.n; break;
      case 2: r = b.n * 2; break;
      case 3: r = b.n + 7; break;
      case 40: r = -b.n; break;
      default: r = x + b.n;
    }
    b.n++;
    return r;
  }

  @Test
  void recursionFromTheCopy() throws Exception {
    for (final boolean share : new boolean[] {false, true}) {
      final Box b = new Box();
      b.n = 5;
      final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "rec", Box.class, int.class).known(0, b).shareCode(share)
          .as(IntUnaryOperator.class).specialize();
      final Box b2 = new Box();
      b2.n = 9;
      final Specialization<IntUnaryOperator> s2 = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "rec", Box.class, int.class).known(0, b2).shareCode(share)
          .as(IntUnaryOperator.class).specialize();
      System.out.println("rec share=" + share + " calls " + calls(classOf(s), "applyAsInt") + "\n" + s.dump());
      for (final int x : new int[] {0, 1, 5, 17, 100}) {
        assertThat(s.function().applyAsInt(x)).as("share=%s x=%d", share, x).isEqualTo(rec(b, x));
        assertThat(s2.function().applyAsInt(x)).as("share=%s x=%d", share, x).isEqualTo(rec(b2, x));
      }
    }
  }

  static int g1(final Box b, final int x) {
    return g2(b, x * 2) + b.n;
  }

  static int g2(final Box b, final int x) {
    b.n++;
    return g3(b, x + 1) * 3;
  }

  static int g3(final Box b, final int x) {
    b.total += x;
    return (int) b.total + b.n;
  }

  @Test
  void callsSpecializedApartFromTheCopy() throws Exception {
    for (final boolean share : new boolean[] {false, true}) {
      final Box b = new Box();
      final Box g = new Box();
      final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "g1", Box.class, int.class).known(0, b)
          .budgets(new Budgets(8, 256, 1, 12_000)).shareCode(share).as(IntUnaryOperator.class).specialize();
      final Box b2 = new Box();
      final Box g2 = new Box();
      final Specialization<IntUnaryOperator> s2 = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "g1", Box.class, int.class).known(0, b2)
          .budgets(new Budgets(8, 256, 1, 12_000)).shareCode(share).as(IntUnaryOperator.class).specialize();
      System.out.println("g1 share=" + share + " calls " + calls(classOf(s), "applyAsInt") + " same class "
          + (s.function().getClass() == s2.function().getClass()) + "\n" + s.dump());
      for (final int x : new int[] {0, 1, 5, 17, 100}) {
        assertThat(s.function().applyAsInt(x)).isEqualTo(g1(g, x));
        assertThat(s2.function().applyAsInt(x + 1)).isEqualTo(g1(g2, x + 1));
      }
      assertThat(b.total).isEqualTo(g.total);
      assertThat(b2.total).isEqualTo(g2.total);
    }
  }

  @Test
  void twoSlotLocals() throws Exception {
    for (final boolean share : new boolean[] {false, true}) {
      final Box b = new Box();
      b.n = 3;
      final Box g = new Box();
      g.n = 3;
      final Specialization<LongBinaryOperator> s = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "longs", Box.class, long.class, long.class).known(0, b)
          .shareCode(share).as(LongBinaryOperator.class).specialize();
      System.out.println("longs calls " + calls(classOf(s), "applyAsLong"));
      for (final long x : new long[] {0, 1, -7, Long.MAX_VALUE}) {
        assertThat(s.function().applyAsLong(x, x + 3)).isEqualTo(longs(g, x, x + 3));
      }
      final Box d = new Box();
      d.n = 40;
      final Box dg = new Box();
      dg.n = 40;
      final Specialization<DoubleBinaryOperator> sd = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "doubles", Box.class, double.class, double.class)
          .known(0, d).shareCode(share).as(DoubleBinaryOperator.class).specialize();
      System.out.println("doubles calls " + calls(classOf(sd), "applyAsDouble") + "\n" + sd.dump());
      for (final double x : new double[] {0, 1e-3, -7, 2}) {
        assertThat(sd.function().applyAsDouble(x, 0.25)).isEqualTo(doubles(dg, x, 0.25));
      }
    }
  }

  @Test
  void switches() throws Exception {
    for (final boolean share : new boolean[] {false, true}) {
      final Box b = new Box();
      final Box g = new Box();
      final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
          .method(InterfaceMethodShapesTest.class, "switched", Box.class, int.class).known(0, b)
          .shareCode(share).as(IntUnaryOperator.class).specialize();
      System.out.println("switched calls " + calls(classOf(s), "applyAsInt"));
      for (final int x : new int[] {0, 1, 2, 3, 40, 41, -1}) {
        assertThat(s.function().applyAsInt(x)).isEqualTo(switched(g, x));
      }
      assertThat(b.n).isEqualTo(g.n);
    }
  }

  static ClassNode classOf(final Specialization<?> s) {
    final ClassNode cn = new ClassNode();
    new ClassReader(s.residual().classFile()).accept(cn, ClassReader.SKIP_FRAMES);
    return cn;
  }

  /** The names of the methods that the class's method {@code name} calls. */
  static List<String> calls(final ClassNode cn, final String name) {
    final List<String> names = new ArrayList<>();
    for (final MethodNode m : cn.methods) {
      if (m.name.equals(name)) {
        for (final AbstractInsnNode i : m.instructions) {
          if (i instanceof MethodInsnNode call) {
            names.add(call.name);
          }
        }
      }
    }
    return names;
  }
}
