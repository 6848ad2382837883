package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;
import static org.quasi.specializer.internal.LocalCleanupTest.code;
import static org.quasi.specializer.internal.LocalCleanupTest.names;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Operands back before a computed one ({@link OperandOrder}), on instruction lists. */
class OperandOrderTest {
  private static final int T1 = ResidualMethod.TEMPORARY;

  private static MethodInsnNode indexOf() {
    return new MethodInsnNode(INVOKESTATIC, "p/Bytes", "indexOf", "([BBII)I", false);
  }

  /**
   * {@code t = a.length; indexOf(a, 13, 0, t)}: the array, the constants and then the length, as the original
   * pushed them ({@code indexOf(a, 13, 0, a.length)}); the temporary goes.
   */
  @Test
  void operandsGoBackBeforeTheComputedOne() {
    final InsnList code = code(new VarInsnNode(ALOAD, 0), new InsnNode(ARRAYLENGTH), new VarInsnNode(ISTORE, T1),
        new VarInsnNode(ALOAD, 0), new IntInsnNode(BIPUSH, 13), new InsnNode(ICONST_0), new VarInsnNode(ILOAD, T1),
        indexOf(), new InsnNode(IRETURN));
    assertThat(OperandOrder.run(code)).isTrue();
    assertThat(names(code)).containsExactly("ALOAD 0", "BIPUSH", "ICONST_0", "ALOAD 0", "ARRAYLENGTH",
        "INVOKESTATIC", "IRETURN");
  }

  /** An operand with an effect of its own (a field read may throw, and reads the heap) is not moved. */
  @Test
  void operandsWithAnEffectStay() {
    final InsnList code = code(new VarInsnNode(ALOAD, 0), new InsnNode(ARRAYLENGTH), new VarInsnNode(ISTORE, T1),
        new FieldInsnNode(GETSTATIC, "p/C", "a", "[B"), new IntInsnNode(BIPUSH, 13), new InsnNode(ICONST_0),
        new VarInsnNode(ILOAD, T1), indexOf(), new InsnNode(IRETURN));
    assertThat(OperandOrder.run(code)).isFalse();
  }

  /** A temporary read twice is kept: the computation runs once. */
  @Test
  void temporaryReadTwiceStays() {
    final InsnList code = code(new VarInsnNode(ALOAD, 0), new InsnNode(ARRAYLENGTH), new VarInsnNode(ISTORE, T1),
        new VarInsnNode(ALOAD, 0), new IntInsnNode(BIPUSH, 13), new VarInsnNode(ILOAD, T1),
        new VarInsnNode(ILOAD, T1), indexOf(), new InsnNode(IRETURN));
    assertThat(OperandOrder.run(code)).isFalse();
  }

  /** A computation that writes a local ({@code iinc}) is not moved over: an operand might load that local. */
  @Test
  void computationWritingALocalIsNotMovedOver() {
    final InsnList code = code(new VarInsnNode(ALOAD, 0), new org.objectweb.asm.tree.IincInsnNode(1, 1),
        new InsnNode(ARRAYLENGTH), new VarInsnNode(ISTORE, T1), new VarInsnNode(ALOAD, 0), new VarInsnNode(ILOAD, 1),
        new InsnNode(ICONST_0), new VarInsnNode(ILOAD, T1), indexOf(), new InsnNode(IRETURN));
    OperandOrder.run(code);
    assertThat(names(code).indexOf("ILOAD 1")).isGreaterThan(names(code).indexOf("IINC"));
  }
}
