package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * What {@link OperandOrder} and {@link AllocationOrder} share: a temporary the evaluator stored once and loads once,
 * right after effect-free pushes, and the move that drops it by putting those pushes back before the computation of
 * the temporary's value. The computation moved over is straight-line code consuming only what it pushes
 * ({@link Peephole#valueStart}: no store, {@code iinc}, label or jump), so the stack under it is untouched and a
 * handler covering it sees the same locals.
 */
final class SingleUseTemporaries {
  private final Map<Integer, int[]> counts = new HashMap<>();

  /** Counts the stores and loads of every local of {@code code}. */
  SingleUseTemporaries(final InsnList code) {
    for (final AbstractInsnNode n : code) {
      if (n instanceof VarInsnNode v) {
        counts.computeIfAbsent(v.var, k -> new int[2])[v.getOpcode() >= ISTORE ? 0 : 1]++;
      }
    }
  }

  /** Whether {@code n} stores an evaluator temporary that has this store and one load, and nothing else. */
  boolean storesOne(final AbstractInsnNode n) {
    return n instanceof VarInsnNode store && store.getOpcode() >= ISTORE && store.getOpcode() <= ASTORE
        && store.var >= ResidualMethod.TEMPORARY && counts.get(store.var)[0] == 1 && counts.get(store.var)[1] == 1;
  }

  /**
   * The load of what {@code store} stored, after effect-free single-slot pushes from {@code from} on (loads of other
   * locals, constants), or null.
   */
  static AbstractInsnNode loadAfterPushes(final AbstractInsnNode from, final VarInsnNode store) {
    final int load = store.getOpcode() - (ISTORE - ILOAD);
    for (AbstractInsnNode n = from; n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v && v.var == store.var) {
        return v.getOpcode() == load ? v : null;
      }
      if (!Peephole.pushesOneSlot(n)) {
        return null;
      }
    }
    return null;
  }

  /**
   * Moves {@code first} up to (not including) {@code load} before the computation of {@code store}'s value, in their
   * order, and drops the store and the load; returns the instruction after the load, or null (nothing moved) when
   * that computation is not straight-line code consuming only what it pushes.
   */
  static AbstractInsnNode moveBeforeValue(final InsnList code, final VarInsnNode store, final AbstractInsnNode first,
      final AbstractInsnNode load) {
    final int slots = store.getOpcode() == LSTORE || store.getOpcode() == DSTORE ? 2 : 1;
    final AbstractInsnNode start = Peephole.valueStart(store.getPrevious(), slots);
    if (start == null) {
      return null;
    }
    for (AbstractInsnNode m = first; m != load; ) {
      final AbstractInsnNode following = m.getNext();
      code.remove(m);
      code.insertBefore(start, m);
      m = following;
    }
    final AbstractInsnNode after = load.getNext();
    code.remove(store);
    code.remove(load);
    return after;
  }
}
