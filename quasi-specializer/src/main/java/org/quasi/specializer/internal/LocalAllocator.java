package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Maps the evaluator's virtual locals to real slots. Parameters keep their slots; positional locals (written at every
 * jump to a variant) each get their own slot; temporaries are packed by linear scan over
 * [definition, last use] in code order.
 *
 * <p>Why linear intervals are safe for temporaries: a temporary is written once, and read only in the block that
 * computes it or in the blocks forked from it before the next jump to a variant; forked blocks are always emitted
 * after their parent, so every run-time path from the definition to a use stays inside that interval.
 */
final class LocalAllocator {
  private LocalAllocator() {
  }

  static void run(final InsnList code, final int parameterSlots) {
    final Map<Integer, int[]> temporaries = new HashMap<>();
    final Map<Integer, Integer> positionalSize = new java.util.LinkedHashMap<>();
    int index = 0;
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext(), index++) {
      if (n instanceof VarInsnNode v) {
        final int size = wide(v.getOpcode()) ? 2 : 1;
        if (v.var >= ResidualMethod.TEMPORARY) {
          final int[] interval = temporaries.get(v.var);
          if (interval == null) {
            temporaries.put(v.var, new int[] {index, index, size});
          } else {
            interval[1] = index;
            interval[2] = Math.max(interval[2], size);
          }
        } else if (v.var >= ResidualMethod.POSITIONAL) {
          positionalSize.merge(v.var, size, Math::max);
        }
      }
    }
    final Map<Integer, Integer> slots = new HashMap<>();
    int next = parameterSlots;
    for (final int p : positionalSize.keySet()) {
      slots.put(p, next);
      next += positionalSize.get(p);
    }
    // Linear scan: temporaries sorted by start; a slot is free again after the end of the interval holding it.
    final List<Map.Entry<Integer, int[]>> byStart = new ArrayList<>(temporaries.entrySet());
    byStart.sort((a, b) -> Integer.compare(a.getValue()[0], b.getValue()[0]));
    final PriorityQueue<int[]> active = new PriorityQueue<>((a, b) -> Integer.compare(a[0], b[0]));
    final Map<Integer, ArrayDeque<Integer>> free = new HashMap<>();
    for (final Map.Entry<Integer, int[]> e : byStart) {
      final int[] iv = e.getValue();
      while (!active.isEmpty() && active.peek()[0] < iv[0]) {
        final int[] done = active.poll();
        free.computeIfAbsent(done[2], k -> new ArrayDeque<>()).push(done[1]);
      }
      final ArrayDeque<Integer> pool = free.get(iv[2]);
      final int slot;
      if (pool != null && !pool.isEmpty()) {
        slot = pool.pop();
      } else {
        slot = next;
        next += iv[2];
      }
      slots.put(e.getKey(), slot);
      active.add(new int[] {iv[1], slot, iv[2]});
    }
    if (next > 0xFFFF) {
      throw new ResidualMethod.ResidualTooLarge("more than 65535 residual local variable slots");
    }
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v && v.var >= ResidualMethod.POSITIONAL) {
        v.var = slots.get(v.var);
      }
    }
  }

  private static boolean wide(final int opcode) {
    return opcode == LLOAD || opcode == DLOAD || opcode == LSTORE || opcode == DSTORE;
  }
}
