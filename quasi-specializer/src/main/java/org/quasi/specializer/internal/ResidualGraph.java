package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * A residual method's basic blocks for the clean-up analyses: blocks in code order, their successors (the entry of
 * every handler whose try range covers a block counts as one: any instruction there may throw), which blocks enter a
 * handler, and the local variable numbers made dense (residual locals are virtual numbers, see
 * {@link ResidualMethod}). Try ranges begin and end at block boundaries, so a block is wholly in a range or out.
 */
final class ResidualGraph {
  final List<List<AbstractInsnNode>> blocks = new ArrayList<>();
  final List<int[]> successors = new ArrayList<>();
  final BitSet handlerEntries = new BitSet();
  /** Labels control can reach other than by falling through: jump and switch targets, handler entries. */
  final java.util.Set<LabelNode> targets = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
  /**
   * The labels control can reach in {@code code} other than by falling through: jump and switch targets, handler
   * entries (an identity set).
   */
  static java.util.Set<LabelNode> branchTargets(final InsnList code, final List<TryCatchBlockNode> handlers) {
    final java.util.Set<LabelNode> targets = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      targets.add(t.handler);
    }
    for (final AbstractInsnNode n : code) {
      if (n instanceof JumpInsnNode j) {
        targets.add(j.label);
      } else if (n instanceof LookupSwitchInsnNode l) {
        targets.add(l.dflt);
        targets.addAll(l.labels);
      } else if (n instanceof TableSwitchInsnNode t) {
        targets.add(t.dflt);
        targets.addAll(t.labels);
      }
    }
    return targets;
  }

  /** Per block: the blocks entering the handlers whose try ranges cover it. */
  final List<int[]> handlersOf = new ArrayList<>();
  final Map<Integer, Integer> dense = new HashMap<>();

  ResidualGraph(final InsnList code, final List<TryCatchBlockNode> handlers) {
    final Map<LabelNode, Integer> blockOf = new IdentityHashMap<>();
    final java.util.Set<LabelNode> leaders = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      leaders.add(t.handler);
      leaders.add(t.start);
      leaders.add(t.end);
    }
    targets.addAll(branchTargets(code, handlers));
    for (final AbstractInsnNode n : code) {
      if (n instanceof VarInsnNode v) {
        dense.computeIfAbsent(v.var, k -> dense.size());
      }
    }
    leaders.addAll(targets);
    List<AbstractInsnNode> current = null;
    for (final AbstractInsnNode n : code) {
      if (current == null || n instanceof LabelNode l && leaders.contains(l)) {
        current = new ArrayList<>();
        blocks.add(current);
      }
      current.add(n);
      if (n instanceof LabelNode l) {
        blockOf.put(l, blocks.size() - 1);
      }
      if (n instanceof JumpInsnNode || n instanceof LookupSwitchInsnNode || n instanceof TableSwitchInsnNode
          || ends(n.getOpcode())) {
        current = null;
      }
    }
    // Which try ranges cover each block (ranges begin and end at leaders, so a block is wholly in or out).
    final List<List<Integer>> covering = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      covering.add(new ArrayList<>());
    }
    for (final TryCatchBlockNode t : handlers) {
      final int handler = blockOf.get(t.handler);
      handlerEntries.set(handler);
      boolean inside = false;
      for (int b = 0; b < blocks.size(); b++) {
        final AbstractInsnNode first = blocks.get(b).get(0);
        if (first == t.start) {
          inside = true;
        }
        if (first == t.end) {
          inside = false;
        }
        if (inside) {
          covering.get(b).add(handler);
        }
      }
    }
    for (int b = 0; b < blocks.size(); b++) {
      handlersOf.add(toArray(covering.get(b)));
      final List<AbstractInsnNode> block = blocks.get(b);
      final AbstractInsnNode last = block.get(block.size() - 1);
      final List<Integer> succ = new ArrayList<>(covering.get(b));
      final int op = last.getOpcode();
      if (last instanceof JumpInsnNode j) {
        succ.add(blockOf.get(j.label));
        if (op != GOTO && b + 1 < blocks.size()) {
          succ.add(b + 1);
        }
      } else if (last instanceof LookupSwitchInsnNode l) {
        succ.add(blockOf.get(l.dflt));
        l.labels.forEach(x -> succ.add(blockOf.get(x)));
      } else if (last instanceof TableSwitchInsnNode t) {
        succ.add(blockOf.get(t.dflt));
        t.labels.forEach(x -> succ.add(blockOf.get(x)));
      } else if (!ends(op) && b + 1 < blocks.size()) {
        succ.add(b + 1);
      }
      successors.add(toArray(succ));
    }
  }

  int index(final int var) {
    return dense.get(var);
  }

  /**
   * The block numbers as an array. A loop rather than a stream: the graph is built several times per clean-up
   * round, for every block, in code that the specializer's callers run cold.
   */
  private static int[] toArray(final List<Integer> blockNumbers) {
    final int[] a = new int[blockNumbers.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = blockNumbers.get(i);
    }
    return a;
  }

  private static boolean ends(final int op) {
    return op >= IRETURN && op <= RETURN || op == ATHROW;
  }

  /**
   * A forward "must" analysis over this graph: for each block, the facts that hold at its entry on every path from
   * the method's entry, or {@code null} for a block no path reaches. Nothing holds at the entry or at a handler's
   * entry, and facts do not flow into handlers (an exception may leave a block anywhere). {@code transfer} updates the
   * facts across one instruction.
   */
  <T> List<java.util.Set<T>> mustHold(
      final java.util.function.BiConsumer<AbstractInsnNode, java.util.Set<T>> transfer) {
    final int n = blocks.size();
    final List<java.util.Set<T>> in = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      in.add(b == 0 || handlerEntries.get(b) ? new java.util.HashSet<>() : null);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = 0; b < n; b++) {
        if (in.get(b) == null) {
          continue;
        }
        final java.util.Set<T> out = new java.util.HashSet<>(in.get(b));
        for (final AbstractInsnNode insn : blocks.get(b)) {
          transfer.accept(insn, out);
        }
        for (final int s : successors.get(b)) {
          if (handlerEntries.get(s)) {
            continue;
          }
          if (in.get(s) == null) {
            in.set(s, new java.util.HashSet<>(out));
            changed = true;
          } else {
            changed |= in.get(s).retainAll(out);
          }
        }
      }
    }
    return in;
  }
}
