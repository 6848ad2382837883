package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.HashMap;
import java.util.Map;
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
    final Map<Integer, int[]> counts = new HashMap<>();
    for (final AbstractInsnNode n : code) {
      if (n instanceof VarInsnNode v) {
        counts.computeIfAbsent(v.var, k -> new int[2])[v.getOpcode() >= ISTORE ? 0 : 1]++;
      }
    }
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; ) {
      final AbstractInsnNode next = n.getNext();
      if (n instanceof VarInsnNode store && store.getOpcode() >= ISTORE && store.getOpcode() <= ASTORE
          && store.var >= ResidualMethod.TEMPORARY && counts.get(store.var)[0] == 1
          && counts.get(store.var)[1] == 1 && Peephole.pushesOneSlot(next)
          && loadAfterPushes(next, store) instanceof VarInsnNode load) {
        final int slots = store.getOpcode() == LSTORE || store.getOpcode() == DSTORE ? 2 : 1;
        final AbstractInsnNode start = Peephole.valueStart(store.getPrevious(), slots);
        if (start != null) {
          for (AbstractInsnNode m = next; m != load; ) {
            final AbstractInsnNode following = m.getNext();
            code.remove(m);
            code.insertBefore(start, m);
            m = following;
          }
          final AbstractInsnNode after = load.getNext();
          code.remove(store);
          code.remove(load);
          changed = true;
          n = after;
          continue;
        }
      }
      n = next;
    }
    return changed;
  }

  /**
   * The load of what {@code store} stored, after effect-free single-slot pushes from {@code from} on (loads of other
   * locals, constants), or null.
   */
  private static AbstractInsnNode loadAfterPushes(final AbstractInsnNode from, final VarInsnNode store) {
    final int load = store.getOpcode() - (ISTORE - ILOAD);
    for (AbstractInsnNode n = from; n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v && v.var == store.var) {
        return v.getOpcode() == load ? n : null;
      }
      if (!Peephole.pushesOneSlot(n)) {
        return null;
      }
    }
    return null;
  }
}
