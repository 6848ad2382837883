package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Printer;

/** The clean-up of moves between locals across jumps, on instruction lists written with opcode-named helpers. */
class LocalCleanupTest {
  private static final int T1 = ResidualMethod.TEMPORARY;
  private static final int P1 = ResidualMethod.POSITIONAL;
  private static final int P2 = ResidualMethod.POSITIONAL + 1;

  /** {@code p1 = a; goto l; l: return p1}: the variant's local is a copy of the parameter on every path. */
  @Test
  void copiesIntoVariantLocalsPropagateAcrossJumps() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(aload(0), astore(P1), new JumpInsnNode(GOTO, l), l, aload(P1), op(ARETURN));
    clean(code, new ArrayList<>());
    assertThat(names(code)).containsExactly("ALOAD 0", "ARETURN");
  }

  /** A copy holds at a join only if it holds on both paths: here p1 is the parameter on one path only. */
  @Test
  void copiesOnOnePathOnlyStay() {
    final LabelNode other = new LabelNode();
    final LabelNode join = new LabelNode();
    final InsnList code = code(iload(0), new JumpInsnNode(IFEQ, other), iload(1), istore(P1),
        new JumpInsnNode(GOTO, join), other, iload(2), istore(P1), join, iload(P1), iload(P1), op(IMUL),
        op(IRETURN));
    clean(code, new ArrayList<>());
    assertThat(names(code)).containsSubsequence("ILOAD 1", "ISTORE " + P1, "ILOAD 2", "ISTORE " + P1,
        "ILOAD " + P1, "ILOAD " + P1, "IMUL");
  }

  /** {@code p1 = a ? 1 : x; return p1}: the store and load of p1 before the return disappear (p1 is dead after). */
  @Test
  void storeThenLoadOfADeadLocalStaysOnTheStack() {
    final LabelNode other = new LabelNode();
    final LabelNode join = new LabelNode();
    final InsnList code = code(iload(0), new JumpInsnNode(IFEQ, other), iconst(1), istore(P1),
        new JumpInsnNode(GOTO, join), other, iload(1), istore(P1), join, iload(P1), op(IRETURN));
    clean(code, new ArrayList<>());
    assertThat(names(code)).containsExactly("ILOAD 0", "IFEQ", "ICONST_1", "IRETURN", "ILOAD 1", "IRETURN");
  }

  /** {@code t1 = x + 1; p2 = y; p1 = t1; goto l; l: return (p1 - p2) * p1}: t1 is computed into p1 at once. */
  @Test
  void temporariesCoalesceIntoTheLocalTheyMoveTo() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(iload(0), iconst(1), op(IADD), istore(T1), iload(1), istore(P2), iload(T1),
        istore(P1), new JumpInsnNode(GOTO, l), l, iload(P1), iload(P2), op(ISUB), iload(P1), op(IMUL),
        op(IRETURN));
    clean(code, new ArrayList<>());
    assertThat(names(code)).containsExactly("ILOAD 0", "ICONST_1", "IADD", "ISTORE " + P1, "ILOAD " + P1,
        "ILOAD 1", "ISUB", "ILOAD " + P1, "IMUL", "IRETURN");
  }

  /**
   * {@code try { t1 = f(x) } catch ...; return t1}: the store is the try range's last instruction and the load the
   * first after it, so the value stays on the stack across the range's end (no handler can see the store).
   */
  @Test
  void storeAndLoadAcrossATryRangesEndGo() {
    final LabelNode start = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final InsnList code = code(start, iload(0), iconst(0), op(IDIV), istore(T1), end, iload(T1), op(IRETURN),
        handler, op(POP), iconst(1), op(IRETURN));
    final List<TryCatchBlockNode> handlers = new ArrayList<>(List.of(
        new TryCatchBlockNode(start, end, handler, "java/lang/ArithmeticException")));
    clean(code, handlers);
    assertThat(names(code)).containsExactly("ILOAD 0", "ICONST_0", "IDIV", "IRETURN", "POP", "ICONST_1",
        "IRETURN");
    assertThat(handlers).hasSize(1);
  }

  /**
   * {@code p1 = 1; try { x / 0; p1 = 2 } catch { return p1 }}: the handler reads p1 where the division throws, so
   * the first store stays although the straight-line code overwrites p1 before reading it.
   */
  @Test
  void storesAHandlerMayReadStay() {
    final LabelNode start = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final InsnList code = code(iconst(1), istore(P1), start, iload(0), iconst(0), op(IDIV), op(POP), iconst(2),
        istore(P1), end, iload(P1), op(IRETURN), handler, op(POP), iload(P1), op(IRETURN));
    final List<TryCatchBlockNode> handlers = new ArrayList<>(List.of(
        new TryCatchBlockNode(start, end, handler, "java/lang/ArithmeticException")));
    clean(code, handlers);
    assertThat(names(code)).containsSubsequence("ICONST_1", "ISTORE " + P1, "IDIV", "ICONST_2");
    assertThat(names(code)).containsSubsequence("POP", "ILOAD " + P1, "IRETURN");
  }

  private static void clean(final InsnList code, final List<TryCatchBlockNode> handlers) {
    boolean changed;
    do {
      Peephole.run(code, handlers);
      changed = LocalCleanup.run(code, handlers);
    } while (changed);
  }

  static InsnList code(final AbstractInsnNode... insns) {
    final InsnList list = new InsnList();
    for (final AbstractInsnNode n : insns) {
      list.add(n);
    }
    return list;
  }

  private static VarInsnNode iload(final int var) {
    return new VarInsnNode(ILOAD, var);
  }

  private static VarInsnNode istore(final int var) {
    return new VarInsnNode(ISTORE, var);
  }

  private static VarInsnNode aload(final int var) {
    return new VarInsnNode(ALOAD, var);
  }

  private static VarInsnNode astore(final int var) {
    return new VarInsnNode(ASTORE, var);
  }

  private static InsnNode iconst(final int v) {
    return new InsnNode(ICONST_0 + v);
  }

  private static InsnNode op(final int opcode) {
    return new InsnNode(opcode);
  }

  static List<String> names(final InsnList code) {
    final List<String> names = new ArrayList<>();
    for (final AbstractInsnNode n : code) {
      if (n.getOpcode() >= 0) {
        names.add(Printer.OPCODES[n.getOpcode()] + (n instanceof VarInsnNode v ? " " + v.var : ""));
      }
    }
    return names;
  }
}
