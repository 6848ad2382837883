package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Tail merging (cross-jumping): two paths that end with the same instructions up to the same return or throw keep one
 * copy; the later copy becomes a jump to the earlier. Specializing per path after a join leaves such copies when the
 * paths' knowledge made no difference to the rest of the method.
 *
 * <p>Sound because the two copies are the same instructions: whatever state either path brings, the one copy does
 * what its own copy did. The verifier must accept the merged entry, so a tail starts only where the operand stack is
 * empty on both paths (proved by {@link #heights}; a stack's types could differ between them), and is merged only
 * when the code has no exception handlers (a handler could cover one copy and not the other). A label inside the
 * later copy that something jumps to ends the tail there, since its jumps would be left without their code. Nor
 * may the tail read a local the two paths could bring in differently (see {@link #readsOnlyLocalsAlike}): the
 * verifier would see the merge of the two paths' types, and the allocation of locals assumes no jump back into
 * a temporary's span.
 */
final class TailMerge {
  private TailMerge() {
  }

  /** Merges every pair of tails it can; returns whether it merged one. */
  static boolean run(final InsnList code, final List<TryCatchBlockNode> handlers) {
    if (!handlers.isEmpty()) {
      return false;
    }
    // Computed once: a merge leaves every other instruction's height as it was (the jump it puts in the later
    // tail's place has the empty stack the tail started with), adds one branch target and takes one end away.
    final Map<AbstractInsnNode, Integer> height = heights(code);
    if (height == null) {
      return false;
    }
    final Set<LabelNode> targets = ResidualGraph.branchTargets(code, handlers);
    final List<AbstractInsnNode> ends = new ArrayList<>();
    for (final AbstractInsnNode n : code) {
      final int op = n.getOpcode();
      if (op >= IRETURN && op <= RETURN || op == ATHROW) {
        ends.add(n);
      }
    }
    boolean changed = false;
    // Each merge removes at least one instruction, so this ends; the bound only caps the work on a huge method.
    for (int merges = 0; merges < MAX_MERGES && mergeOne(code, height, targets, ends); merges++) {
      changed = true;
    }
    return changed;
  }

  /** Merges per call at most. */
  private static final int MAX_MERGES = 64;

  /** Merges one pair of tails, the first later end that shares one with an earlier end. */
  private static boolean mergeOne(final InsnList code, final Map<AbstractInsnNode, Integer> height,
      final Set<LabelNode> targets, final List<AbstractInsnNode> ends) {
    for (int j = ends.size() - 1; j > 0; j--) {
      for (int i = 0; i < j; i++) {
        final JumpInsnNode jump = merge(code, ends.get(i), ends.get(j), height, targets);
        if (jump != null) {
          height.put(jump, 0);
          targets.add(jump.label);
          ends.remove(j);
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Walks back from the two ends over the same instructions and, when the common tail is at least two instructions
   * long from a point of empty stack on both paths, replaces the later copy with a jump to the earlier, which it
   * returns (null when it merged nothing).
   */
  private static JumpInsnNode merge(final InsnList code, final AbstractInsnNode end1, final AbstractInsnNode end2,
      final Map<AbstractInsnNode, Integer> height, final Set<LabelNode> targets) {
    AbstractInsnNode a = end1;
    AbstractInsnNode b = end2;
    AbstractInsnNode from1 = null;
    AbstractInsnNode from2 = null;
    int length = 0;
    while (true) {
      if (!same(a, b) || a == b) {
        break;
      }
      length++;
      if (length >= 2 && empty(height, a) && empty(height, b) && readsOnlyLocalsAlike(b, end2)) {
        from1 = a;
        from2 = b;
      }
      a = previousReal(a, null);
      b = previousReal(b, targets);
      if (a == null || b == null || b == end1) {
        break;
      }
    }
    if (from1 == null) {
      return null;
    }
    final LabelNode to = new LabelNode();
    code.insertBefore(from1, to);
    for (AbstractInsnNode x = from2; x != end2; ) {
      final AbstractInsnNode next = x.getNext();
      code.remove(x);
      x = next;
    }
    final JumpInsnNode jump = new JumpInsnNode(GOTO, to);
    code.set(end2, jump);
    return jump;
  }

  /**
   * Whether the tail from {@code from} to {@code end} reads, before writing it, no local that the jump from the other
   * path could bring in differently: a temporary, since {@link LocalAllocator} packs temporaries by their span in code
   * order, which the jump back to the earlier copy leaves (another temporary of the later path could take its slot
   * before the jump), nor a reference in a positional local, which may hold a different type on each path (the
   * source reusing a slot) whose merge the tail may not take ({@code int[]} and {@code long[]} merge to
   * {@code Object}). Parameters are never written and positional primitives have one type per local.
   */
  private static boolean readsOnlyLocalsAlike(final AbstractInsnNode from, final AbstractInsnNode end) {
    final Set<Integer> written = new HashSet<>();
    for (AbstractInsnNode n = from; n != end; n = n.getNext()) {
      if (n instanceof VarInsnNode v) {
        if (v.getOpcode() >= ISTORE) {
          written.add(v.var);
        } else if (!written.contains(v.var) && (v.var >= ResidualMethod.TEMPORARY
            || v.var >= ResidualMethod.POSITIONAL && v.getOpcode() == ALOAD)) {
          return false;
        }
      } else if (n instanceof IincInsnNode i && !written.contains(i.var) && i.var >= ResidualMethod.TEMPORARY) {
        return false;
      }
    }
    return true;
  }

  /** Whether the operand stack is empty before {@code n} (false for an instruction no path reaches). */
  private static boolean empty(final Map<AbstractInsnNode, Integer> height, final AbstractInsnNode n) {
    final Integer h = height.get(n);
    return h != null && h == 0;
  }

  /**
   * The real instruction before {@code n}, or null at the start, or at a label of {@code targets} (null: any label
   * passes) on the way.
   */
  private static AbstractInsnNode previousReal(final AbstractInsnNode n, final Set<LabelNode> targets) {
    for (AbstractInsnNode p = n.getPrevious(); p != null; p = p.getPrevious()) {
      if (p instanceof LabelNode l && targets != null && targets.contains(l)) {
        return null;
      }
      if (p.getOpcode() >= 0) {
        return p;
      }
    }
    return null;
  }

  /**
   * The operand stack's height, in slots, before each real instruction reachable from the start, or null when the
   * code has an instruction this does not follow ({@code jsr}, {@code ret}) or two paths disagree (not verifiable).
   */
  static Map<AbstractInsnNode, Integer> heights(final InsnList code) {
    final Map<AbstractInsnNode, Integer> height = new IdentityHashMap<>();
    final Deque<AbstractInsnNode> work = new ArrayDeque<>();
    final Map<AbstractInsnNode, Integer> pending = new IdentityHashMap<>();
    if (code.getFirst() == null) {
      return height;
    }
    pending.put(code.getFirst(), 0);
    work.push(code.getFirst());
    while (!work.isEmpty()) {
      AbstractInsnNode n = work.pop();
      int h = pending.get(n);
      while (n != null) {
        if (n.getOpcode() < 0) {
          n = n.getNext();
          continue;
        }
        final Integer seen = height.get(n);
        if (seen != null) {
          if (seen != h) {
            return null;
          }
          break;
        }
        height.put(n, h);
        final int op = n.getOpcode();
        final int[] effect = StackEffect.of(n);
        if (effect != null) {
          h += effect[1] - effect[0];
          n = n.getNext();
          continue;
        }
        if (op >= ISTORE && op <= ASTORE) {
          h -= op == LSTORE || op == DSTORE ? 2 : 1;
          n = n.getNext();
        } else if (op == IINC) {
          n = n.getNext();
        } else if (n instanceof JumpInsnNode j && op != JSR) {
          h -= op == GOTO ? 0 : op >= IF_ICMPEQ && op <= IF_ACMPNE ? 2 : 1;
          if (!schedule(j.label, h, pending, work)) {
            return null;
          }
          n = op == GOTO ? null : n.getNext();
        } else if (n instanceof TableSwitchInsnNode || n instanceof LookupSwitchInsnNode) {
          h -= 1;
          for (final LabelNode l : switchTargets(n)) {
            if (!schedule(l, h, pending, work)) {
              return null;
            }
          }
          n = null;
        } else if (op >= IRETURN && op <= RETURN || op == ATHROW) {
          n = null;
        } else {
          return null;
        }
      }
    }
    return height;
  }

  /** A switch's case labels, then its default. */
  private static List<LabelNode> switchTargets(final AbstractInsnNode n) {
    final List<LabelNode> all = new ArrayList<>();
    if (n instanceof TableSwitchInsnNode t) {
      all.addAll(t.labels);
      all.add(t.dflt);
    } else {
      final LookupSwitchInsnNode l = (LookupSwitchInsnNode) n;
      all.addAll(l.labels);
      all.add(l.dflt);
    }
    return all;
  }

  /** Queues {@code l} with stack height {@code h}; false when it was queued with another. */
  private static boolean schedule(final LabelNode l, final int h, final Map<AbstractInsnNode, Integer> pending,
      final Deque<AbstractInsnNode> work) {
    final Integer before = pending.putIfAbsent(l, h);
    if (before == null) {
      work.push(l);
      return true;
    }
    return before == h;
  }

  /** Whether two instructions are the same: opcode and operands, the same label for jumps. */
  static boolean same(final AbstractInsnNode a, final AbstractInsnNode b) {
    if (a.getOpcode() != b.getOpcode() || a.getClass() != b.getClass()) {
      return false;
    }
    if (a instanceof VarInsnNode x) {
      return x.var == ((VarInsnNode) b).var;
    }
    if (a instanceof IntInsnNode x) {
      return x.operand == ((IntInsnNode) b).operand;
    }
    if (a instanceof LdcInsnNode x) {
      return x.cst.equals(((LdcInsnNode) b).cst);
    }
    if (a instanceof FieldInsnNode x) {
      final FieldInsnNode y = (FieldInsnNode) b;
      return x.owner.equals(y.owner) && x.name.equals(y.name) && x.desc.equals(y.desc);
    }
    if (a instanceof MethodInsnNode x) {
      final MethodInsnNode y = (MethodInsnNode) b;
      return x.owner.equals(y.owner) && x.name.equals(y.name) && x.desc.equals(y.desc) && x.itf == y.itf;
    }
    if (a instanceof TypeInsnNode x) {
      return x.desc.equals(((TypeInsnNode) b).desc);
    }
    if (a instanceof IincInsnNode x) {
      final IincInsnNode y = (IincInsnNode) b;
      return x.var == y.var && x.incr == y.incr;
    }
    if (a instanceof JumpInsnNode x) {
      return x.label == ((JumpInsnNode) b).label;
    }
    // Switches, invokedynamic, multianewarray: not compared, so never merged.
    return a instanceof InsnNode;
  }
}
