package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Printer;

/**
 * The interface method of a residual class holds the residual code itself when it takes and returns what the
 * residual method does and the code is small enough for C2 to inline: a caller's call then inlines on the caller's
 * profile, with no forwarding call whose own profile may be missing. Larger code, and interfaces that need a box or
 * a cast, still forward to {@code specialized}.
 */
class InterfaceMethodTest {

  /** Where the residual code's effects land: read after each call. */
  static final class Sink {
    int total;
    int calls;

    void take(final int x) {
      if (x == 13) {
        throw new IllegalStateException("unlucky " + x);
      }
      total += x;
      calls++;
    }
  }

  /** Locals beyond the parameters, a loop, a handler, an effect on a known object. */
  static int work(final Sink sink, final int x) {
    int acc = 0;
    for (int i = 0; i < 3; i++) {
      acc += x * i;
    }
    try {
      sink.take(acc);
    } catch (IllegalStateException e) {
      return -acc;
    }
    return acc + sink.calls;
  }

  /** Straight-line code of some 400 bytes: more than C2 inlines into a caller (325). */
  static int mixed(final int k, final int x) {
    int h = x ^ k;
    h = h * 31 + 0x1b873593;
    h ^= h >>> 7;
    h = h * 31 + 0x5bd1e995;
    h ^= h >>> 8;
    h = h * 31 + 0x27d4eb2f;
    h ^= h >>> 9;
    h = h * 31 + 0x165667b1;
    h ^= h >>> 10;
    h = h * 31 + 0x7ed55d16;
    h ^= h >>> 11;
    h = h * 31 + 0x6b43a9b5;
    h ^= h >>> 12;
    h = h * 31 + 0x3c6ef372;
    h ^= h >>> 13;
    h = h * 31 + 0x2545f491;
    h ^= h >>> 14;
    h = h * 31 + 0x61c88647;
    h ^= h >>> 15;
    h = h * 31 + 0x0badf00d;
    h ^= h >>> 16;
    h = h * 31 + 0x13579bdf;
    h ^= h >>> 17;
    h = h * 31 + 0x2468ace0;
    h ^= h >>> 7;
    h = h * 31 + 0x7fedcba9;
    h ^= h >>> 8;
    h = h * 31 + 0x31415926;
    h ^= h >>> 9;
    h = h * 31 + 0x27182818;
    h ^= h >>> 10;
    h = h * 31 + 0x14142135;
    h ^= h >>> 11;
    h = h * 31 + 0x17320508;
    h ^= h >>> 12;
    h = h * 31 + 0x22360679;
    h ^= h >>> 13;
    h = h * 31 + 0x19260817;
    h ^= h >>> 14;
    h = h * 31 + 0x11235813;
    h ^= h >>> 15;
    h = h * 31 + 0x6c078965;
    h ^= h >>> 16;
    h = h * 31 + 0x41c64e6d;
    h ^= h >>> 17;
    h = h * 31 + 0x5851f42d;
    h ^= h >>> 7;
    h = h * 31 + 0x4c957f2d;
    h ^= h >>> 8;
    h = h * 31 + 0x01000193;
    h ^= h >>> 9;
    h = h * 31 + 0x3b9aca07;
    h ^= h >>> 10;
    h = h * 31 + 0x2f6b8d1a;
    h ^= h >>> 11;
    h = h * 31 + 0x7a5c3e11;
    h ^= h >>> 12;
    return h;
  }

  @Test
  void theInterfaceMethodHoldsSmallResidualCode() throws Exception {
    final Sink sink = new Sink();
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(InterfaceMethodTest.class, "work", Sink.class, int.class).known(0, sink)
        .as(IntUnaryOperator.class).specialize();
    final ClassNode cn = classOf(s);
    final MethodNode residual = method(cn, "specialized");
    final MethodNode itf = method(cn, "applyAsInt");
    assertThat(calls(itf)).as("no call of the residual method").doesNotContain("specialized");
    assertThat(opcodes(itf)).isEqualTo(opcodes(residual));
    assertThat(itf.tryCatchBlocks).hasSameSizeAs(residual.tryCatchBlocks);
    assertThat(locals(residual)).as("a local beyond the parameter x").anyMatch(slot -> slot > 0);
    assertThat(locals(itf)).isEqualTo(locals(residual).stream().map(v -> v + 1).toList());
    assertAgreesWithGeneric(s.function());
  }

  @Test
  void sharedCodeHoldsItsObjectsInTheInstanceTheInterfaceMethodReads() throws Exception {
    final Sink a = new Sink();
    final Sink b = new Sink();
    final Specialization<IntUnaryOperator> sa = shared(a);
    final IntUnaryOperator fa = sa.function();
    final IntUnaryOperator fb = shared(b).function();
    assertThat(fb.getClass()).isSameAs(fa.getClass());
    assertThat(calls(method(classOf(sa), "applyAsInt"))).doesNotContain("specialized");
    final Sink ga = new Sink();
    final Sink gb = new Sink();
    for (final int x : new int[] {1, 4, 13, -5}) {
      assertThat(fa.applyAsInt(x)).isEqualTo(generic(ga, x));
      assertThat(fb.applyAsInt(2 * x)).isEqualTo(generic(gb, 2 * x));
    }
    assertThat(a.total).isEqualTo(ga.total);
    assertThat(b.total).isEqualTo(gb.total);
    assertThat(a.total).isNotEqualTo(b.total);
  }

  @Test
  void largeResidualCodeIsForwardedTo() throws Exception {
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(InterfaceMethodTest.class, "mixed", int.class, int.class).known(0, 0x9e3779b9)
        .as(IntUnaryOperator.class).specialize();
    final ClassNode cn = classOf(s);
    assertThat(opcodes(method(cn, "specialized")).size()).as("instructions, 28 of them ldc: over 325 bytes")
        .isGreaterThan(250);
    assertThat(calls(method(cn, "applyAsInt"))).containsExactly("specialized");
    for (final int x : new int[] {0, 1, -7, Integer.MAX_VALUE}) {
      assertThat(s.function().applyAsInt(x)).isEqualTo(mixed(0x9e3779b9, x));
    }
  }

  @Test
  void anInterfaceThatBoxesForwards() throws Exception {
    final Sink sink = new Sink();
    final Specialization<IntFunction<Integer>> s = Specializer.of(MethodHandles.lookup())
        .method(InterfaceMethodTest.class, "work", Sink.class, int.class).known(0, sink)
        .<IntFunction<Integer>>as(cast(IntFunction.class)).specialize();
    assertThat(calls(method(classOf(s), "apply"))).contains("specialized", "valueOf");
    assertAgreesWithGeneric(x -> s.function().apply(x));
  }

  /** Results call by call, against the generic method on a sink of its own (13 takes the handler). */
  private static void assertAgreesWithGeneric(final IntUnaryOperator residual) {
    final Sink expected = new Sink();
    for (final int x : new int[] {0, 1, 4, 13, -5, 1000}) {
      final int want = generic(expected, x);
      assertThat(residual.applyAsInt(x)).as("x=%d", x).isEqualTo(want);
    }
  }

  private static int generic(final Sink sink, final int x) {
    return work(sink, x);
  }

  private static Specialization<IntUnaryOperator> shared(final Sink sink) throws Exception {
    return Specializer.of(MethodHandles.lookup()).method(InterfaceMethodTest.class, "work", Sink.class, int.class)
        .known(0, sink).shareCode(true).as(IntUnaryOperator.class).specialize();
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast(final Class<?> c) {
    return (Class<T>) c;
  }

  private static ClassNode classOf(final Specialization<?> s) {
    final ClassNode cn = new ClassNode();
    new ClassReader(s.residual().classFile()).accept(cn, ClassReader.SKIP_FRAMES);
    return cn;
  }

  private static MethodNode method(final ClassNode cn, final String name) {
    return cn.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  private static List<String> opcodes(final MethodNode m) {
    final List<String> names = new ArrayList<>();
    for (final AbstractInsnNode i : m.instructions) {
      if (i.getOpcode() >= 0) {
        names.add(Printer.OPCODES[i.getOpcode()]);
      }
    }
    return names;
  }

  private static List<String> calls(final MethodNode m) {
    final List<String> names = new ArrayList<>();
    for (final AbstractInsnNode i : m.instructions) {
      if (i instanceof MethodInsnNode call && call.getOpcode() != Opcodes.INVOKEVIRTUAL) {
        names.add(call.name);
      }
    }
    return names;
  }

  private static List<Integer> locals(final MethodNode m) {
    final List<Integer> slots = new ArrayList<>();
    for (final AbstractInsnNode i : m.instructions) {
      if (i instanceof VarInsnNode v) {
        slots.add(v.var);
      } else if (i instanceof IincInsnNode inc) {
        slots.add(inc.var);
      }
    }
    return slots;
  }
}
