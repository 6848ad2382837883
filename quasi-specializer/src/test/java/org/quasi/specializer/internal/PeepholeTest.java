package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;
import static org.quasi.specializer.internal.LocalCleanupTest.code;
import static org.quasi.specializer.internal.LocalCleanupTest.names;

import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.VarInsnNode;

/** The clean-up of residual code, on instruction lists written with opcode-named helpers. */
class PeepholeTest {
  private static final int T1 = ResidualMethod.TEMPORARY;
  private static final int T2 = ResidualMethod.TEMPORARY + 1;
  private static final int P1 = ResidualMethod.POSITIONAL;

  /** {@code t1 = x + 1; return t1;}: the temporary disappears, the value stays on the stack. */
  @Test
  void singleUseTemporaryStaysOnTheStack() {
    final InsnList code = code(iload(0), iconst1(), op(IADD), istore(T1), iload(T1), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "ICONST_1", "IADD", "IRETURN");
  }

  /** {@code t1 = x; t2 = t1 * t1;}: copies of never-rewritten locals are read from the source. */
  @Test
  void copiesOfImmutableLocalsPropagate() {
    final InsnList code = code(iload(0), istore(T1), iload(T1), iload(T1), op(IMUL), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "ILOAD 0", "IMUL", "IRETURN");
  }

  /** A positional local is written at every jump to its variant: copies into it are moves that must stay. */
  @Test
  void positionalLocalsAreNotPropagated() {
    final LabelNode loop = new LabelNode();
    final InsnList code = code(iload(0), istore(P1), loop, iload(P1), iconst1(), op(IADD), istore(P1),
        new JumpInsnNode(GOTO, loop));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "ISTORE " + P1, "ILOAD " + P1, "ICONST_1", "IADD",
        "ISTORE " + P1, "GOTO");
  }

  /** {@code goto a; a: goto b; ... b: return}: jumps go straight to b, and the unreachable goto disappears. */
  @Test
  void jumpsThreadAndDeadCodeGoes() {
    final LabelNode a = new LabelNode();
    final LabelNode b = new LabelNode();
    final InsnList code = code(iload(0), new JumpInsnNode(IFEQ, a), op(RETURN), a, new JumpInsnNode(GOTO, b),
        iconst1(), op(POP), b, op(RETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "IFEQ", "RETURN", "RETURN");
  }

  /** A temporary never read: its store becomes a pop, and a load only popped disappears. */
  @Test
  void deadStoresPop() {
    final InsnList code = code(iload(0), istore(T2), op(RETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("RETURN");
  }

  /** {@code p1 = a ? 1 : x; return p1;} (a join of two returning paths): each path returns its value at once. */
  @Test
  void jumpsToAReturnReturn() {
    final LabelNode other = new LabelNode();
    final LabelNode join = new LabelNode();
    final InsnList code = code(iload(0), new JumpInsnNode(IFEQ, other), iconst1(), istore(P1),
        new JumpInsnNode(GOTO, join), other, iload(1), istore(P1), join, iload(P1), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "IFEQ", "ICONST_1", "IRETURN", "ILOAD 1", "ISTORE " + P1,
        "ILOAD " + P1, "IRETURN");
  }

  /**
   * {@code t1 = x + 1; return i - t1}: the value stays on the stack, and i, a load without effect, is pushed before
   * the code computing it instead of being swapped under it.
   */
  @Test
  void singleUseTemporaryUnderOnePushIsReordered() {
    final InsnList code = code(iload(0), iconst1(), op(IADD), istore(T1), iload(1), iload(T1), op(ISUB),
        op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 1", "ILOAD 0", "ICONST_1", "IADD", "ISUB", "IRETURN");
  }

  /**
   * {@code t1 = 31 * x; return a[i] + t1}: the code between the temporary's store and its load pushes one value
   * from its own operands, so the temporary stays on the stack under it ({@code swap; swap} cancel).
   */
  @Test
  void singleUseTemporaryStaysUnderStraightLineCode() {
    final InsnList code = code(new org.objectweb.asm.tree.IntInsnNode(BIPUSH, 31), iload(0), op(IMUL), istore(T1),
        new VarInsnNode(ALOAD, 1), iload(2), op(IALOAD), iload(T1), op(SWAP), op(IADD), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("BIPUSH", "ILOAD 0", "IMUL", "ALOAD 1", "ILOAD 2", "IALOAD", "IADD",
        "IRETURN");
  }

  /**
   * {@code y + i - t1} with {@code t1 = x + 1} computed before {@code i} is added to {@code y}: the code in between
   * consumes a value pushed before the temporary, so keeping the temporary on the stack would bury it wrongly.
   */
  @Test
  void temporaryStaysInItsLocalWhenTheCodeBetweenConsumesBelow() {
    final InsnList code = code(iload(5), iload(0), iconst1(), op(IADD), istore(T1), iload(1), op(IADD), iload(T1),
        op(ISUB), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 5", "ILOAD 0", "ICONST_1", "IADD", "ISTORE " + T1, "ILOAD 1",
        "IADD", "ILOAD " + T1, "ISUB", "IRETURN");
  }

  /**
   * {@code t1 = r * x; t2 = i / 2.0; return t1 + t2;} with doubles: both operands stay on the stack, in their order,
   * as javac leaves them.
   */
  @Test
  void twoSingleUseOperandsStayOnTheStack() {
    final InsnList code = code(new VarInsnNode(DLOAD, 2), new VarInsnNode(DLOAD, 0), op(DMUL),
        new VarInsnNode(DSTORE, T1), iload(4), op(I2D), new VarInsnNode(DLOAD, 6), op(DDIV),
        new VarInsnNode(DSTORE, T2), new VarInsnNode(DLOAD, T1), new VarInsnNode(DLOAD, T2), op(DADD), op(DRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("DLOAD 2", "DLOAD 0", "DMUL", "ILOAD 4", "I2D", "DLOAD 6", "DDIV",
        "DADD", "DRETURN");
  }

  /**
   * {@code t1 = x + 1; t2 = y - 1; return t2 - t1;}: loaded in the other order, the two operands are not left as
   * they are; single-slot ones stay on the stack under a {@code swap}.
   */
  @Test
  void operandsLoadedInTheOtherOrderAreSwapped() {
    final InsnList code = code(iload(0), iconst1(), op(IADD), istore(T1), iload(1), iconst1(), op(ISUB),
        istore(T2), iload(T2), iload(T1), op(ISUB), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 0", "ICONST_1", "IADD", "ILOAD 1", "ICONST_1", "ISUB", "SWAP",
        "ISUB", "IRETURN");
  }

  /**
   * {@code if (a < b) {} if (c != 0) return; return;}: the first test's two outcomes go on at the same place, so it
   * only pops its operands, and two loads popped together do nothing; the second test jumps elsewhere and stays.
   */
  @Test
  void aTestJumpingToTheNextInstructionPopsItsOperands() {
    final LabelNode next = new LabelNode();
    final LabelNode other = new LabelNode();
    final InsnList code = code(iload(0), iload(1), new JumpInsnNode(IF_ICMPGE, next), next, iload(2),
        new JumpInsnNode(IFNE, other), iload(3), op(IRETURN), other, iload(4), op(IRETURN));
    Peephole.run(code);
    assertThat(names(code)).containsExactly("ILOAD 2", "IFNE", "ILOAD 3", "IRETURN", "ILOAD 4", "IRETURN");
  }

  /** {@code i = i + 1} and {@code i = i - 300} once locals are allocated: {@code iinc}, as javac writes it. */
  @Test
  void incrementsAreFormedAgain() {
    final InsnList code = code(iload(3), iconst1(), op(IADD), istore(3), iload(3),
        new org.objectweb.asm.tree.IntInsnNode(SIPUSH, 300), op(ISUB), istore(3), iload(3), iconst1(), op(IADD),
        istore(4), op(RETURN));
    assertThat(Peephole.increments(code)).isTrue();
    assertThat(names(code)).containsExactly("IINC", "IINC", "ILOAD 3", "ICONST_1", "IADD", "ISTORE 4", "RETURN");
    final java.util.List<Integer> increments = new ArrayList<>();
    for (final AbstractInsnNode n : code) {
      if (n instanceof org.objectweb.asm.tree.IincInsnNode i) {
        increments.add(i.incr);
      }
    }
    assertThat(increments).containsExactly(1, -300);
  }

  private static VarInsnNode iload(final int var) {
    return new VarInsnNode(ILOAD, var);
  }

  private static VarInsnNode istore(final int var) {
    return new VarInsnNode(ISTORE, var);
  }

  private static InsnNode iconst1() {
    return new InsnNode(ICONST_1);
  }

  private static InsnNode op(final int opcode) {
    return new InsnNode(opcode);
  }
}
