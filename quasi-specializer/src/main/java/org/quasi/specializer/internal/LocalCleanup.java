package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Removes the moves between locals that {@link Peephole} cannot see through because they cross jumps: the moves into
 * a variant's positional locals ({@code aload 0; astore p} at a jump to a variant) and the stores of values read
 * only once after a join. Two data-flow analyses over the residual method, with its exception table:
 *
 * <ul>
 *   <li><em>copies</em> (forward, must): where local {@code d} holds a copy of parameter or positional local
 *       {@code s} on every path, {@code xload d} reads {@code s} instead;</li>
 *   <li><em>liveness</em> (backward, may): a store into a local no path reads again becomes a {@code pop}, and
 *       {@code xstore t; xload t} with {@code t} dead afterwards disappears (the value stays on the stack).</li>
 * </ul>
 *
 * <p>Why this is sound: a handler reads the locals as they are where an instruction of its try range throws, so its
 * entry is a successor of every instruction of the range (a local it reads is live throughout the range, and no copy
 * is assumed at its entry). Copies are only propagated from locals that keep their own slot ({@link LocalAllocator}
 * packs temporaries by code-order intervals, which a read moved across a jump could break); reads are only redirected,
 * never moved, and removed stores and loads have no effect but on locals nobody reads.
 */
final class LocalCleanup {
  private LocalCleanup() {
  }

  /** Cleans up {@code code} whose exception table is {@code handlers}; returns whether it changed anything. */
  static boolean run(final InsnList code, final List<TryCatchBlockNode> handlers) {
    if (code.size() == 0) {
      return false;
    }
    final boolean copied = propagateCopies(new ResidualGraph(code, handlers));
    final boolean coalesced = coalesceMoves(new ResidualGraph(code, handlers), code);
    final ResidualGraph g = new ResidualGraph(code, handlers);
    return removeDeadStores(g, code, liveness(g)) | copied | coalesced;
  }

  /**
   * {@code xstore t; ...; xload t; xstore p} where temporary {@code t} is read only there, in one block, and
   * nothing between touches positional local {@code p}: the value is stored into {@code p} at once and the move
   * disappears. The handlers covering the block must not read {@code p} (it now changes earlier).
   */
  private static boolean coalesceMoves(final ResidualGraph g, final InsnList code) {
    final Map<Integer, int[]> counts = new HashMap<>();
    for (final AbstractInsnNode n : code) {
      if (n instanceof VarInsnNode v) {
        counts.computeIfAbsent(v.var, k -> new int[2])[isStore(v.getOpcode()) ? 0 : 1]++;
      }
    }
    final BitSet[] liveIn = liveness(g);
    boolean changed = false;
    for (int b = 0; b < g.blocks.size(); b++) {
      final BitSet caught = caught(g, liveIn, b);
      final Map<Integer, VarInsnNode> defs = new HashMap<>();
      final List<AbstractInsnNode> block = g.blocks.get(b);
      for (int i = 0; i < block.size(); i++) {
        if (!(block.get(i) instanceof VarInsnNode v) || v.getNext() == null) {
          continue;
        }
        if (isStore(v.getOpcode())) {
          if (v.var >= ResidualMethod.TEMPORARY && counts.get(v.var)[0] == 1 && counts.get(v.var)[1] == 1) {
            defs.put(v.var, v);
          }
          continue;
        }
        final VarInsnNode def = defs.remove(v.var);
        if (def != null && v.getNext() instanceof VarInsnNode move && isStore(move.getOpcode())
            && move.getOpcode() - ISTORE == v.getOpcode() - ILOAD && move.var >= ResidualMethod.POSITIONAL
            && move.var < ResidualMethod.TEMPORARY && !caught.get(g.index(move.var))
            && untouchedBetween(def, v, move.var)) {
          def.var = move.var;
          code.remove(v);
          code.remove(move);
          changed = true;
          i++;
        }
      }
    }
    return changed;
  }

  private static boolean untouchedBetween(final AbstractInsnNode from, final AbstractInsnNode to, final int var) {
    for (AbstractInsnNode n = from.getNext(); n != to; n = n.getNext()) {
      if (n instanceof VarInsnNode v && v.var == var) {
        return false;
      }
    }
    return true;
  }

  /** The locals live at each block's entry (handlers: see {@link #caught}). */
  private static BitSet[] liveness(final ResidualGraph g) {
    final int n = g.blocks.size();
    final BitSet[] liveIn = new BitSet[n];
    for (int b = 0; b < n; b++) {
      liveIn[b] = new BitSet();
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = n - 1; b >= 0; b--) {
        final BitSet live = liveOut(g, liveIn, b);
        final BitSet caught = caught(g, liveIn, b);
        final List<AbstractInsnNode> block = g.blocks.get(b);
        for (int i = block.size() - 1; i >= 0; i--) {
          transfer(g, block.get(i), live);
          live.or(caught);
        }
        if (!live.equals(liveIn[b])) {
          liveIn[b] = live;
          changed = true;
        }
      }
    }
    return liveIn;
  }

  /** One backward scan per block that rewrites dead stores. */
  private static boolean removeDeadStores(final ResidualGraph g, final InsnList code, final BitSet[] liveIn) {
    final int n = g.blocks.size();
    // Stores removed with their load, found again later in the scan (possibly in an earlier block's list).
    final java.util.Set<AbstractInsnNode> gone = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    boolean rewrote = false;
    for (int b = 0; b < n; b++) {
      final BitSet live = liveOut(g, liveIn, b);
      final BitSet caught = caught(g, liveIn, b);
      final List<AbstractInsnNode> block = g.blocks.get(b);
      for (int i = block.size() - 1; i >= 0; i--) {
        final AbstractInsnNode insn = block.get(i);
        if (gone.contains(insn)) {
          continue;
        }
        if (insn instanceof VarInsnNode v && !isStore(v.getOpcode()) && !live.get(g.index(v.var))
            && storeBefore(g, v) instanceof VarInsnNode s && s.var == v.var) {
          // xstore t; xload t, t dead afterwards: the value just stays on the operand stack.
          code.remove(s);
          code.remove(v);
          gone.add(s);
          rewrote = true;
          continue;
        }
        if (insn instanceof VarInsnNode v && isStore(v.getOpcode()) && !live.get(g.index(v.var))) {
          code.set(v, new InsnNode(v.getOpcode() == LSTORE || v.getOpcode() == DSTORE ? POP2 : POP));
          rewrote = true;
          continue;
        }
        transfer(g, insn, live);
        live.or(caught);
      }
    }
    return rewrote;
  }

  private static BitSet liveOut(final ResidualGraph g, final BitSet[] liveIn, final int b) {
    final BitSet live = new BitSet();
    for (final int s : g.successors.get(b)) {
      live.or(liveIn[s]);
    }
    return live;
  }

  /**
   * The store right before {@code load}, with only labels between them that start or end try ranges (control
   * cannot reach the load but from the store), or null. Across a range's end the store is the range's last
   * instruction, so no handler can see what it wrote; across a range's start the load cannot throw, and whether a
   * handler reads the local after it is part of its liveness.
   */
  private static AbstractInsnNode storeBefore(final ResidualGraph g, final VarInsnNode load) {
    AbstractInsnNode p = load.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      if (p instanceof LabelNode l && g.targets.contains(l)) {
        return null;
      }
      p = p.getPrevious();
    }
    return p instanceof VarInsnNode s && isStore(s.getOpcode()) ? p : null;
  }

  /**
   * What the handlers covering block {@code b} read: live before every instruction of the block, since any of them
   * may throw with the locals as they are (a store inside the block does not end their liveness before it).
   */
  private static BitSet caught(final ResidualGraph g, final BitSet[] liveIn, final int b) {
    final BitSet live = new BitSet();
    for (final int h : g.handlersOf.get(b)) {
      live.or(liveIn[h]);
    }
    return live;
  }

  private static void transfer(final ResidualGraph g, final AbstractInsnNode insn, final BitSet live) {
    if (insn instanceof VarInsnNode v) {
      if (isStore(v.getOpcode())) {
        live.clear(g.index(v.var));
      } else {
        live.set(g.index(v.var));
      }
    }
  }

  /**
   * Available copies per block (a must analysis: a copy holds at a join only if it holds on every incoming edge;
   * none at the method's or a handler's entry), then one forward scan per block that redirects reads.
   */
  private static boolean propagateCopies(final ResidualGraph g) {
    final int n = g.blocks.size();
    // null: not reached yet (the identity of the meet).
    final List<Map<Integer, Integer>> in = new ArrayList<>();
    for (int b = 0; b < n; b++) {
      in.add(b == 0 || g.handlerEntries.get(b) ? new HashMap<>() : null);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = 0; b < n; b++) {
        if (in.get(b) == null) {
          continue;
        }
        final Map<Integer, Integer> out = new HashMap<>(in.get(b));
        for (final AbstractInsnNode insn : g.blocks.get(b)) {
          copyTransfer(insn, out);
        }
        for (final int s : g.successors.get(b)) {
          if (g.handlerEntries.get(s)) {
            continue;
          }
          final Map<Integer, Integer> old = in.get(s);
          if (old == null) {
            in.set(s, new HashMap<>(out));
            changed = true;
          } else if (old.entrySet().removeIf(e -> !e.getValue().equals(out.get(e.getKey())))) {
            changed = true;
          }
        }
      }
    }
    boolean rewrote = false;
    for (int b = 0; b < n; b++) {
      if (in.get(b) == null) {
        continue;
      }
      final Map<Integer, Integer> copies = new HashMap<>(in.get(b));
      for (final AbstractInsnNode insn : g.blocks.get(b)) {
        if (insn instanceof VarInsnNode v && !isStore(v.getOpcode())) {
          final Integer source = copies.get(v.var);
          if (source != null) {
            v.var = source;
            rewrote = true;
          }
        }
        copyTransfer(insn, copies);
      }
    }
    return rewrote;
  }

  /** {@code xload s; xstore d} makes d a copy of s (when s keeps its own slot); any store into x ends x's copies. */
  private static void copyTransfer(final AbstractInsnNode insn, final Map<Integer, Integer> copies) {
    if (!(insn instanceof VarInsnNode v) || !isStore(v.getOpcode())) {
      return;
    }
    final int d = v.var;
    copies.remove(d);
    copies.values().removeIf(s -> s == d);
    if (v.getPrevious() instanceof VarInsnNode load && !isStore(load.getOpcode())
        && load.getOpcode() - ILOAD == v.getOpcode() - ISTORE && load.var != d && ownSlot(load.var)) {
      // A read of d redirected to the source reads what the source holds now: its own source if it is a copy too.
      copies.put(d, copies.getOrDefault(load.var, load.var));
    }
  }

  /** Parameters and positional locals keep their slot for the whole method; temporaries share slots. */
  private static boolean ownSlot(final int var) {
    return var < ResidualMethod.TEMPORARY;
  }

  private static boolean isStore(final int opcode) {
    return opcode >= ISTORE && opcode <= ASTORE;
  }
}
