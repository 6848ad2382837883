package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Finds batches of adjacent guarded writes to one object: runs of segments {@code aload n; VALUE; putfield O.f}
 * with the same local {@code n} and the same field reference class {@code O}, each {@code f} a guarded instance
 * field of a woven class, where {@code VALUE} pushes one value and can neither throw, call, read a field or an array,
 * enter a monitor nor store a local (constants, local loads and arithmetic that cannot throw), and nothing lies
 * between two segments but line numbers and labels no branch, switch or exception range refers to.
 *
 * <p>Why these conditions make the batch unobservable (the argument in {@code Guards}' {@code @implNote}): nothing in
 * the run can read memory another thread writes, transfer control in or out, or publish anything; the receiver's
 * local is not written, so every segment stores into the same object; and evaluating the later values before the
 * earlier stores changes nothing, since they read only locals and constants.
 */
final class AdjacentWrites {

  /** One segment: its first instruction (the receiver load), its value code, and its store. */
  record Segment(VarInsnNode receiver, List<AbstractInsnNode> value, FieldInsnNode store) {
  }

  /** Decides whether a store is a guarded instance write of a woven class (and may join a batch). */
  interface Batchable {
    boolean test(FieldInsnNode store);
  }

  private final Set<LabelNode> referenced = new HashSet<>();
  private final Batchable batchable;

  AdjacentWrites(final MethodNode m, final Batchable batchable) {
    this.batchable = batchable;
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof JumpInsnNode j) {
        referenced.add(j.label);
      } else if (i instanceof TableSwitchInsnNode t) {
        referenced.add(t.dflt);
        referenced.addAll(t.labels);
      } else if (i instanceof LookupSwitchInsnNode l) {
        referenced.add(l.dflt);
        referenced.addAll(l.labels);
      }
    }
    for (final TryCatchBlockNode t : m.tryCatchBlocks) {
      referenced.add(t.start);
      referenced.add(t.end);
      referenced.add(t.handler);
    }
  }

  /** The batch starting at {@code start} (two segments or more), or an empty list. */
  List<Segment> batchAt(final AbstractInsnNode start) {
    final List<Segment> out = new ArrayList<>();
    AbstractInsnNode at = start;
    while (true) {
      final Segment s = segmentAt(at);
      if (s == null || (!out.isEmpty() && (s.receiver().var != out.get(0).receiver().var
          || !s.store().owner.equals(out.get(0).store().owner)))) {
        break;
      }
      out.add(s);
      at = skipNeutral(s.store().getNext());
      if (at == null) {
        break;
      }
    }
    return out.size() >= 2 ? out : List.of();
  }

  private Segment segmentAt(final AbstractInsnNode start) {
    if (!(start instanceof VarInsnNode v) || v.getOpcode() != ALOAD) {
      return null;
    }
    final List<AbstractInsnNode> value = new ArrayList<>();
    int depth = 0;
    for (AbstractInsnNode i = start.getNext(); i != null; i = i.getNext()) {
      if (neutral(i)) {
        value.add(i);
        continue;
      }
      if (i instanceof FieldInsnNode f && f.getOpcode() == PUTFIELD) {
        return depth == 1 && batchable.test(f) ? new Segment(v, value, f) : null;
      }
      final int effect = simpleEffect(i, depth);
      if (effect == Integer.MIN_VALUE) {
        return null;
      }
      depth += effect;
      value.add(i);
    }
    return null;
  }

  private AbstractInsnNode skipNeutral(final AbstractInsnNode from) {
    AbstractInsnNode i = from;
    while (i != null && neutral(i)) {
      i = i.getNext();
    }
    return i;
  }

  /** Line numbers, frames and labels nothing jumps to (or starts an exception range at). */
  private boolean neutral(final AbstractInsnNode i) {
    return i instanceof LineNumberNode || i instanceof FrameNode
        || (i instanceof LabelNode l && !referenced.contains(l));
  }

  /**
   * The stack effect, in values, of an instruction allowed in a value: it cannot throw, call, read memory other
   * threads write, or store; {@code Integer.MIN_VALUE} when not allowed or when it would pop below the segment.
   */
  private static int simpleEffect(final AbstractInsnNode i, final int depth) {
    final int op = i.getOpcode();
    if ((op >= ACONST_NULL && op <= SIPUSH) || (op >= ILOAD && op <= ALOAD)) {
      return 1;
    }
    if (op == LDC) {
      // Class, method type, handle and dynamic constants resolve (load classes, run bootstrap methods) on first use.
      final Object c = ((LdcInsnNode) i).cst;
      return c instanceof Number || c instanceof String ? 1 : Integer.MIN_VALUE;
    }
    switch (op) {
      case IADD, LADD, FADD, DADD, ISUB, LSUB, FSUB, DSUB, IMUL, LMUL, FMUL, DMUL, FDIV, DDIV, FREM, DREM,
          ISHL, LSHL, ISHR, LSHR, IUSHR, LUSHR, IAND, LAND, IOR, LOR, IXOR, LXOR, LCMP, FCMPL, FCMPG, DCMPL, DCMPG:
        return depth >= 2 ? -1 : Integer.MIN_VALUE;
      case INEG, LNEG, FNEG, DNEG, I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F, I2B, I2C, I2S:
        return depth >= 1 ? 0 : Integer.MIN_VALUE;
      default:
        return Integer.MIN_VALUE;
    }
  }
}
