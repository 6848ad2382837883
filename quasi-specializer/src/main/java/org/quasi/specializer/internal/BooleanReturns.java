package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Set;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Returns a tested boolean itself: {@code v; ifeq L; iconst_1; ireturn; L: iconst_0; ireturn} returns {@code v},
 * and with the constants the other way round {@code v ^ 1}. That is what {@code return !isEmpty(c)} and
 * {@code return isEmpty(c) ? ...} become once the callee is inlined and the jumps go straight to the returns
 * ({@link Peephole}): six instructions where two or four do.
 *
 * <p>Only where {@code v} is 0 or 1 for the JVM: the result of a call of a method returning {@code boolean} (the
 * JVM narrows such a method's {@code ireturn} to the low bit, JVMS 6.5) or of {@code instanceof}; and only where
 * the test follows it and the constant and return follow the test with no jump target in between (labels that
 * only mark try ranges may be), so no other path carries another value there or shares the code rewritten. The branch target's code is only read: another jump to it still
 * finds it, and it goes as dead code when none is left. Nothing here can throw, so handlers are unaffected.
 */
final class BooleanReturns {
  private BooleanReturns() {
  }

  /** Rewrites {@code code} in place; returns whether it changed anything. */
  static boolean run(final InsnList code, final List<TryCatchBlockNode> handlers) {
    final Set<LabelNode> targets = ResidualGraph.branchTargets(code, handlers);
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (!(n instanceof JumpInsnNode jump) || n.getOpcode() != IFEQ && n.getOpcode() != IFNE
          || !isBoolean(straight(n, targets, false))) {
        continue;
      }
      final AbstractInsnNode constant = straight(jump, targets, true);
      final AbstractInsnNode ret = straight(constant, targets, true);
      final AbstractInsnNode target = real(jump.label);
      if (!isZeroOrOne(constant) || ret == null || ret.getOpcode() != IRETURN || !isZeroOrOne(target)
          || real(target.getNext()) == null || real(target.getNext()).getOpcode() != IRETURN) {
        continue;
      }
      final boolean jumpsOnZero = jump.getOpcode() == IFEQ;
      final int whenZero = (jumpsOnZero ? target : constant).getOpcode() - ICONST_0;
      final int whenOne = (jumpsOnZero ? constant : target).getOpcode() - ICONST_0;
      if (whenZero == whenOne) {
        continue;
      }
      if (whenOne == 1) {
        // Returns v itself.
        code.remove(constant);
      } else {
        // Returns 1 - v, that is v ^ 1.
        code.set(constant, new InsnNode(IXOR));
        code.insertBefore(jump, new InsnNode(ICONST_1));
      }
      final AbstractInsnNode before = jump.getPrevious();
      code.remove(jump);
      n = before;
      changed = true;
    }
    return changed;
  }

  /**
   * The real instruction next to {@code n} (after it, or before it) with only labels that are no jump target in
   * between, or null.
   */
  private static AbstractInsnNode straight(final AbstractInsnNode n, final Set<LabelNode> targets,
      final boolean forward) {
    AbstractInsnNode r = n == null ? null : forward ? n.getNext() : n.getPrevious();
    while (r != null && r.getOpcode() < 0) {
      if (r instanceof LabelNode l && targets.contains(l)) {
        return null;
      }
      r = forward ? r.getNext() : r.getPrevious();
    }
    return r;
  }

  /** Whether {@code n} pushes a value that is 0 or 1: a call returning boolean, or instanceof. */
  private static boolean isBoolean(final AbstractInsnNode n) {
    return n != null && (n.getOpcode() == INSTANCEOF
        || n instanceof MethodInsnNode m && Type.getReturnType(m.desc).getSort() == Type.BOOLEAN);
  }

  private static boolean isZeroOrOne(final AbstractInsnNode n) {
    return n != null && (n.getOpcode() == ICONST_0 || n.getOpcode() == ICONST_1);
  }

  /** The first real instruction at or after {@code n} (labels, line numbers and frames skipped). */
  private static AbstractInsnNode real(final AbstractInsnNode n) {
    AbstractInsnNode r = n;
    while (r != null && r.getOpcode() < 0) {
      r = r.getNext();
    }
    return r;
  }
}
