package org.quasi.specializer.internal;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts the operands pushed before a computed one back before its computation, as the original had them: the
 * evaluator leaves a call's or a read's result in a temporary when operands it pushes later come before it, so
 * {@code g(a, 0, f(x))} came out as {@code t = f(x); a; 0; load t; g}. When those operands are constants and loads
 * of locals, {@code a; 0; f(x); g} computes the same: they have no effect and cannot throw, and the computation
 * they move over stores no local, so they push the same values before it. The temporary goes.
 *
 * <p>The computation moved over is straight-line code consuming only what it pushes ({@link Peephole#valueStart}:
 * no store, {@code iinc}, label or jump), so the stack under it is untouched and a handler covering it sees the
 * same locals; the operands join it inside the same try ranges. Only a temporary stored and loaded once is
 * dropped. Allocations before a temporary ({@code new C(f(x))}) are {@link AllocationOrder}'s.
 */
final class OperandOrder {
  private OperandOrder() {
  }

  /** Reorders {@code code} in place; returns whether it changed anything. */
  static boolean run(final InsnList code) {
    final SingleUseTemporaries temporaries = new SingleUseTemporaries(code);
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; ) {
      final AbstractInsnNode next = n.getNext();
      if (temporaries.storesOne(n) && Peephole.pushesOneSlot(next)
          && SingleUseTemporaries.loadAfterPushes(next, (VarInsnNode) n) instanceof VarInsnNode load) {
        final AbstractInsnNode after = SingleUseTemporaries.moveBeforeValue(code, (VarInsnNode) n, next, load);
        if (after != null) {
          changed = true;
          n = after;
          continue;
        }
      }
      n = next;
    }
    return changed;
  }
}
