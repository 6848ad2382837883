package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Every known object the residual code loads is resolved when the hidden class is initialized, so that a constant
 * used only on a path not yet taken does not keep the JIT from compiling the method (C1 and C2 give up on an
 * unresolved dynamic constant).
 */
class ConstantResolutionTest {

  /** A holder whose object is used only when x is negative. */
  static final class Sink {
    int calls;

    void take(final int x) {
      calls += x;
    }
  }

  static int route(final Sink sink, final int x) {
    if (x < 0) {
      sink.take(x);
      return -1;
    }
    return x;
  }

  @Test
  void theInitializerLoadsEveryClassDataConstant() throws Exception {
    final Sink sink = new Sink();
    final Specialization<IntUnaryOperator> s = Specializer.of(MethodHandles.lookup())
        .method(ConstantResolutionTest.class, "route", Sink.class, int.class).known(0, sink)
        .as(IntUnaryOperator.class).specialize();
    final ClassNode cn = new ClassNode();
    new ClassReader(s.residual().classFile()).accept(cn, 0);
    final List<Object> inCode = constants(method(cn, "specialized"));
    final List<Object> inInit = constants(method(cn, "<clinit>"));
    assertThat(inCode).isNotEmpty();
    assertThat(inInit).containsExactlyInAnyOrderElementsOf(inCode.stream().distinct().toList());
    assertThat(s.function().applyAsInt(3)).isEqualTo(3);
    assertThat(s.function().applyAsInt(-2)).isEqualTo(-1);
    assertThat(sink.calls).isEqualTo(-2);
  }

  private static MethodNode method(final ClassNode cn, final String name) {
    return cn.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }

  private static List<Object> constants(final MethodNode m) {
    return java.util.stream.StreamSupport.stream(m.instructions.spliterator(), false)
        .filter(i -> i instanceof LdcInsnNode l && l.cst instanceof ConstantDynamic)
        .map(i -> ((LdcInsnNode) i).cst).map(Object::toString).map(Object.class::cast).toList();
  }
}
