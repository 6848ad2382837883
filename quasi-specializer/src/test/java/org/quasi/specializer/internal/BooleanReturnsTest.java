package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;
import static org.quasi.specializer.internal.LocalCleanupTest.code;
import static org.quasi.specializer.internal.LocalCleanupTest.names;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/** A tested boolean returned itself ({@link BooleanReturns}), on instruction lists. */
class BooleanReturnsTest {

  private static MethodInsnNode isEmpty() {
    return new MethodInsnNode(INVOKEINTERFACE, "java/util/Collection", "isEmpty", "()Z", true);
  }

  /** {@code c.isEmpty() ? false : true}: returns {@code c.isEmpty() ^ 1}. */
  @Test
  void negatedBooleanIsReturnedWithAnExclusiveOr() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(new VarInsnNode(ALOAD, 0), isEmpty(), new JumpInsnNode(IFEQ, l),
        new InsnNode(ICONST_0), new InsnNode(IRETURN), l, new InsnNode(ICONST_1), new InsnNode(IRETURN));
    assertThat(BooleanReturns.run(code, List.of())).isTrue();
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ALOAD 0", "INVOKEINTERFACE", "ICONST_1", "IXOR", "IRETURN");
  }

  /** {@code c.isEmpty() ? true : false}: returns {@code c.isEmpty()}. */
  @Test
  void testedBooleanIsReturnedItself() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(new VarInsnNode(ALOAD, 0), isEmpty(), new JumpInsnNode(IFNE, l),
        new InsnNode(ICONST_0), new InsnNode(IRETURN), l, new InsnNode(ICONST_1), new InsnNode(IRETURN));
    assertThat(BooleanReturns.run(code, List.of())).isTrue();
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ALOAD 0", "INVOKEINTERFACE", "IRETURN");
  }

  /** An int that is not known to be 0 or 1 ({@code x != 0 ? 1 : 0} is not x) is left alone. */
  @Test
  void anIntIsNotABoolean() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 0), new JumpInsnNode(IFEQ, l), new InsnNode(ICONST_1),
        new InsnNode(IRETURN), l, new InsnNode(ICONST_0), new InsnNode(IRETURN));
    assertThat(BooleanReturns.run(code, List.of())).isFalse();
  }

  /** Another jump to the constant after the test: that code is shared, so it stays. */
  @Test
  void sharedConstantStays() {
    final LabelNode l = new LabelNode();
    final LabelNode shared = new LabelNode();
    final InsnList code = code(new VarInsnNode(ILOAD, 1), new JumpInsnNode(IFLT, shared), new VarInsnNode(ALOAD, 0),
        isEmpty(), new JumpInsnNode(IFEQ, l), shared, new InsnNode(ICONST_0), new InsnNode(IRETURN), l,
        new InsnNode(ICONST_1), new InsnNode(IRETURN));
    assertThat(BooleanReturns.run(code, List.of())).isFalse();
  }
}
