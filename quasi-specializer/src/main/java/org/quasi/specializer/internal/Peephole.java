package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Cleans up what the evaluator's simple emission scheme leaves behind: every unknown value goes through a fresh local,
 * so {@code xstore t; xload t} pairs for single-use temporaries are dropped (the value stays on the operand stack),
 * temporaries never read are popped instead of stored, and jumps to the immediately following label disappear (a
 * test only pops its operands). The result is what a Java compiler would have produced for the residual program,
 * give or take.
 */
final class Peephole {
  private Peephole() {
  }

  static void run(final InsnList code) {
    run(code, new java.util.ArrayList<>());
  }

  /**
   * Cleans up {@code code} whose exception table is {@code handlers}: handler stubs count as jump targets, the labels
   * of try ranges are kept, and ranges left without any instruction are removed from {@code handlers}.
   */
  static void run(final InsnList code, final java.util.List<TryCatchBlockNode> handlers) {
    do {
      threadJumps(code);
      // Each pass may expose new pairs (a store turned into a pop next to its load, say).
    } while (pass(code) | returnsInsteadOfJumps(code) | pruneEmptyRanges(handlers)
        | removeUnreachable(code, handlers) | pushesBeforeSwaps(code) | operandsOnStack(code));
  }

  /**
   * {@code xstore a; Y; ystore b; xload a; yload b}, where a and b are temporaries each stored and loaded only there
   * and Y is straight-line code computing exactly b's value: the two operands stay on the stack, as a compiler
   * would leave them ({@code a * x + i / 2.0}). Y runs after a's value is computed, as before; a handler cannot
   * see the difference, since it reads neither temporary and starts with an empty stack.
   */
  private static boolean operandsOnStack(final InsnList code) {
    final java.util.Map<Integer, int[]> counts = varCounts(code);
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (!(n instanceof VarInsnNode loadA) || isStore(loadA.getOpcode())
          || !(loadA.getNext() instanceof VarInsnNode loadB) || isStore(loadB.getOpcode())
          || !(loadA.getPrevious() instanceof VarInsnNode storeB) || storeB.var != loadB.var
          || !isStore(storeB.getOpcode()) || !singleUse(counts, loadA.var) || !singleUse(counts, loadB.var)
          || loadA.var == loadB.var) {
        continue;
      }
      final AbstractInsnNode start = valueStart(storeB.getPrevious(), size(storeB.getOpcode()));
      if (start != null && start.getPrevious() instanceof VarInsnNode storeA && storeA.var == loadA.var
          && isStore(storeA.getOpcode())) {
        final AbstractInsnNode after = loadB.getNext();
        code.remove(storeA);
        code.remove(storeB);
        code.remove(loadA);
        code.remove(loadB);
        changed = true;
        if (after == null) {
          break;
        }
        n = after.getPrevious() == null ? after : after.getPrevious();
      }
    }
    return changed;
  }

  /**
   * {@code iload x; push c; iadd (or isub); istore x} with a constant c: {@code iinc x c}, as javac writes it. Run
   * once the locals are allocated: the clean-up passes and the allocator know locals through loads and stores only.
   */
  static boolean increments(final InsnList code) {
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode load && load.getOpcode() == ILOAD && n.getNext() != null
          && n.getNext().getNext() instanceof InsnNode op && (op.getOpcode() == IADD || op.getOpcode() == ISUB)
          && op.getNext() instanceof VarInsnNode store && store.getOpcode() == ISTORE && store.var == load.var) {
        final Integer c = intPushed(n.getNext());
        final long delta = c == null ? Long.MAX_VALUE : op.getOpcode() == IADD ? (long) c : -(long) c;
        if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
          final org.objectweb.asm.tree.IincInsnNode inc = new org.objectweb.asm.tree.IincInsnNode(load.var,
              (int) delta);
          code.remove(load.getNext());
          code.remove(op);
          code.remove(store);
          code.set(load, inc);
          n = inc;
          changed = true;
        }
      }
    }
    return changed;
  }

  /** The int constant {@code n} pushes, or null when it is not an int constant. */
  private static Integer intPushed(final AbstractInsnNode n) {
    final int op = n.getOpcode();
    if (op >= ICONST_M1 && op <= ICONST_5) {
      return op - ICONST_0;
    }
    if (op == BIPUSH || op == SIPUSH) {
      return ((org.objectweb.asm.tree.IntInsnNode) n).operand;
    }
    return n instanceof org.objectweb.asm.tree.LdcInsnNode l && l.cst instanceof Integer i ? i : null;
  }

  private static java.util.Map<Integer, int[]> varCounts(final InsnList code) {
    final java.util.Map<Integer, int[]> counts = new java.util.HashMap<>();
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v) {
        counts.computeIfAbsent(v.var, k -> new int[2])[isStore(v.getOpcode()) ? 0 : 1]++;
      } else if (n instanceof org.objectweb.asm.tree.IincInsnNode i) {
        counts.computeIfAbsent(i.var, k -> new int[2])[0]++;
      }
    }
    return counts;
  }

  /** Whether temporary {@code var} is stored once and loaded once. */
  private static boolean singleUse(final java.util.Map<Integer, int[]> counts, final int var) {
    final int[] c = counts.get(var);
    return var >= ResidualMethod.TEMPORARY && c != null && c[0] == 1 && c[1] == 1;
  }

  private static int size(final int storeOpcode) {
    return storeOpcode == LSTORE || storeOpcode == DSTORE ? 2 : 1;
  }

  /** Instructions back from a {@code swap} searched for the code computing the value under it. */
  private static final int SWAP_REACH = 16;

  /**
   * {@code <code computing x>; push y; swap}, where pushing {@code y} has no effect (a load, a constant):
   * {@code push y; <code computing x>} leaves the same stack and runs the same effects (the code in between only
   * consumes what it pushes itself, and writes no local). What {@code t = v; push y; load t} left behind when
   * {@code y}'s operand order came first in the original.
   */
  private static boolean pushesBeforeSwaps(final InsnList code) {
    boolean changed = false;
    for (AbstractInsnNode n = code.getFirst(); n != null; ) {
      final AbstractInsnNode next = n.getNext();
      if (n.getOpcode() == SWAP && n.getPrevious() != null && pushesOneSlot(n.getPrevious())) {
        final AbstractInsnNode push = n.getPrevious();
        final AbstractInsnNode start = valueStart(push.getPrevious());
        if (start != null) {
          code.remove(push);
          code.insertBefore(start, push);
          code.remove(n);
          changed = true;
        }
      }
      n = next;
    }
    return changed;
  }

  /**
   * Whether {@code cast} after {@code value} cannot fail nor change the verifier's view: a null constant, or a
   * class data constant already of the cast's type (its dynamic constant's type is the object's own class, or the
   * nearest accessible superclass, see {@link ResidualMethod#classDataConstant}).
   */
  private static boolean castNeedless(final AbstractInsnNode value, final TypeInsnNode cast) {
    if (value.getOpcode() == ACONST_NULL) {
      return true;
    }
    return value instanceof org.objectweb.asm.tree.LdcInsnNode l && classData(l.cst)
        && org.objectweb.asm.Type.getType(((org.objectweb.asm.ConstantDynamic) l.cst).getDescriptor())
            .equals(org.objectweb.asm.Type.getObjectType(cast.desc));
  }

  /**
   * The first instruction of the shortest straight-line code ending at {@code last} that pushes one single-slot
   * value and consumes nothing it did not push itself, or null.
   */
  private static AbstractInsnNode valueStart(final AbstractInsnNode last) {
    return valueStart(last, 1);
  }

  /** As {@link #valueStart(AbstractInsnNode)}, for a value of {@code slots} slots. */
  static AbstractInsnNode valueStart(final AbstractInsnNode last, final int slots) {
    AbstractInsnNode start = last;
    for (int i = 0; i < SWAP_REACH && start != null; i++, start = start.getPrevious()) {
      int depth = 0;
      boolean ok = true;
      for (AbstractInsnNode m = start; ok; m = m.getNext()) {
        final int[] effect = StackEffect.of(m);
        ok = effect != null && depth - effect[0] >= 0;
        if (ok) {
          depth += effect[1] - effect[0];
        }
        if (m == last) {
          break;
        }
      }
      if (!ok) {
        // A label, jump or store: nothing further back can be part of straight-line code ending at last.
        if (StackEffect.of(start) == null) {
          return null;
        }
        continue;
      }
      if (depth == slots) {
        return start;
      }
    }
    return null;
  }

  /** Removes the exception-table entries whose range holds no instruction (the JVM rejects empty ranges). */
  private static boolean pruneEmptyRanges(final java.util.List<TryCatchBlockNode> handlers) {
    return handlers.removeIf(t -> {
      for (AbstractInsnNode n = t.start; n != null && n != t.end; n = n.getNext()) {
        if (n.getOpcode() >= 0) {
          return false;
        }
      }
      return true;
    });
  }

  /**
   * A jump to a return returns at once: {@code goto L} where L is {@code xreturn} becomes {@code xreturn}, and
   * {@code xstore t; goto L} where L is {@code xload t; xreturn} becomes {@code xreturn} (the value is already on
   * the stack). What joins of returning paths (ternaries, multi-return callees) leave behind.
   *
   * <p>Sound inside try ranges and locked regions: the jump's path executes exactly the return it jumps to, so no
   * unlock and no handler is skipped (a {@code monitorexit} or a finally block before the return is an instruction
   * after the label, which then is not the return, and the rule does not apply). Returns do not throw in residual
   * code (it is never {@code ACC_SYNCHRONIZED}; {@link ExplicitLocking} unlocks before each return), so moving one
   * into another try range changes no handler. The removed store feeds only that return: nothing can throw between
   * it and the jump, so no handler can read the local it wrote.
   */
  private static boolean returnsInsteadOfJumps(final InsnList code) {
    final java.util.List<JumpInsnNode> jumps = new java.util.ArrayList<>();
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof JumpInsnNode j && j.getOpcode() == GOTO) {
        jumps.add(j);
      }
    }
    boolean changed = false;
    for (final JumpInsnNode j : jumps) {
      final AbstractInsnNode first = realAfter(j.label);
      if (first == null) {
        continue;
      }
      final int op = first.getOpcode();
      final AbstractInsnNode second = realAfter(first);
      if (op >= IRETURN && op <= RETURN) {
        code.set(j, new InsnNode(op));
        changed = true;
      } else if (first instanceof VarInsnNode load && !isStore(op) && second != null
          && second.getOpcode() >= IRETURN && second.getOpcode() < RETURN
          && j.getPrevious() instanceof VarInsnNode store && isStore(store.getOpcode()) && store.var == load.var) {
        code.remove(store);
        code.set(j, new InsnNode(second.getOpcode()));
        changed = true;
      }
    }
    return changed;
  }

  /** The first real instruction after {@code n} (labels, line numbers and frames skipped), or null. */
  private static AbstractInsnNode realAfter(final AbstractInsnNode n) {
    AbstractInsnNode next = n.getNext();
    while (next != null && next.getOpcode() < 0) {
      next = next.getNext();
    }
    return next;
  }

  /** Retargets jumps to a label that is immediately followed by a {@code goto}: they go straight to its target. */
  private static void threadJumps(final InsnList code) {
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof JumpInsnNode j) {
        j.label = thread(j.label);
      } else if (n instanceof org.objectweb.asm.tree.LookupSwitchInsnNode l) {
        l.dflt = thread(l.dflt);
        l.labels.replaceAll(Peephole::thread);
      } else if (n instanceof org.objectweb.asm.tree.TableSwitchInsnNode t) {
        t.dflt = thread(t.dflt);
        t.labels.replaceAll(Peephole::thread);
      }
    }
  }

  private static LabelNode thread(final LabelNode label) {
    LabelNode target = label;
    // A bounded number of hops: a cycle of gotos (an empty infinite loop) must not hang the specializer.
    for (int hops = 0; hops < 16; hops++) {
      AbstractInsnNode next = target.getNext();
      while (next != null && next.getOpcode() < 0) {
        next = next.getNext();
      }
      if (!(next instanceof JumpInsnNode g) || g.getOpcode() != GOTO || g.label == target) {
        return target;
      }
      target = g.label;
    }
    return target;
  }

  /** Removes code after an unconditional transfer up to the next label something jumps to. */
  private static boolean removeUnreachable(final InsnList code, final java.util.List<TryCatchBlockNode> handlers) {
    final java.util.Set<LabelNode> targets = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    final java.util.Set<LabelNode> ranges = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      targets.add(t.handler);
      ranges.add(t.start);
      ranges.add(t.end);
    }
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof JumpInsnNode j) {
        targets.add(j.label);
      } else if (n instanceof org.objectweb.asm.tree.LookupSwitchInsnNode l) {
        targets.add(l.dflt);
        targets.addAll(l.labels);
      } else if (n instanceof org.objectweb.asm.tree.TableSwitchInsnNode t) {
        targets.add(t.dflt);
        targets.addAll(t.labels);
      }
    }
    boolean changed = false;
    boolean dead = false;
    AbstractInsnNode n = code.getFirst();
    while (n != null) {
      final AbstractInsnNode next = n.getNext();
      if (n instanceof LabelNode l && targets.contains(l)) {
        dead = false;
      } else if (dead && !(n instanceof LabelNode l && ranges.contains(l))) {
        code.remove(n);
        changed |= n.getOpcode() >= 0;
      } else {
        final int op = n.getOpcode();
        dead = op == GOTO || op >= IRETURN && op <= RETURN || op == ATHROW || op == TABLESWITCH
            || op == LOOKUPSWITCH;
      }
      n = next;
    }
    return changed;
  }

  /** One pass; returns whether it changed anything. */
  private static boolean pass(final InsnList code) {
    boolean changed = false;
    final java.util.Map<Integer, int[]> counts = new java.util.HashMap<>();
    final java.util.Map<Integer, Integer> copies = new java.util.HashMap<>();
    for (AbstractInsnNode n = code.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode v) {
        counts.computeIfAbsent(v.var, k -> new int[2])[isStore(v.getOpcode()) ? 0 : 1]++;
      }
    }
    AbstractInsnNode n = code.getFirst();
    while (n != null) {
      final AbstractInsnNode next = n.getNext();
      if (n instanceof VarInsnNode v && isStore(v.getOpcode()) && counts.get(v.var)[0] == 1) {
        final int loads = counts.get(v.var)[1];
        if (loads == 0) {
          code.set(n, new InsnNode(v.getOpcode() == LSTORE || v.getOpcode() == DSTORE ? POP2 : POP));
          changed = true;
        } else if (v.var >= ResidualMethod.TEMPORARY && n.getPrevious() instanceof VarInsnNode source
            && !isStore(source.getOpcode()) && immutable(source.var)) {
          // Copy propagation: t = a where neither is ever written again; read a wherever t is read.
          copies.put(v.var, source.var);
          code.remove(source);
          code.remove(n);
          n = next;
          changed = true;
          continue;
        } else if (loads == 1 && oneSlot(v.getOpcode()) && pushesOneSlot(next)
            && next.getNext() instanceof VarInsnNode l && l.var == v.var && !isStore(l.getOpcode())) {
          // t = v; push y; load t  ==  push y; swap: the value stays on the stack under y.
          code.remove(n);
          code.set(l, new InsnNode(SWAP));
          n = next;
          changed = true;
          continue;
        } else if (loads == 1 && oneSlot(v.getOpcode()) && v.var >= ResidualMethod.TEMPORARY
            && swapUnder(code, v)) {
          n = next;
          changed = true;
          continue;
        } else if (loads == 1 && next instanceof VarInsnNode l && l.var == v.var
            && !isStore(l.getOpcode())) {
          final AbstractInsnNode after = next.getNext();
          code.remove(n);
          code.remove(next);
          n = after;
          changed = true;
          continue;
        }
      }
      if (n instanceof VarInsnNode v && oneSlotLoad(v) && next instanceof VarInsnNode w && oneSlotLoad(w)
          && next.getNext() != null && next.getNext().getOpcode() == POP2) {
        // Two values loaded only to be dropped together (what a test of two loads jumping to its fall-through
        // leaves): none of the three instructions does anything.
        final AbstractInsnNode after = next.getNext().getNext();
        code.remove(next.getNext());
        code.remove(n);
        code.remove(next);
        n = after;
        changed = true;
        continue;
      }
      if (n instanceof VarInsnNode v && !isStore(v.getOpcode()) && next != null
          && next.getOpcode() == (v.getOpcode() == LLOAD || v.getOpcode() == DLOAD ? POP2 : POP)) {
        // A value loaded only to be dropped: neither instruction does anything.
        final AbstractInsnNode after = next.getNext();
        code.remove(n);
        code.remove(next);
        n = after;
        changed = true;
        continue;
      }
      if (next != null && next.getOpcode() == CHECKCAST && castNeedless(n, (TypeInsnNode) next)) {
        code.remove(next);
        changed = true;
        continue;
      }
      if (n instanceof VarInsnNode v && isStore(v.getOpcode()) && !oneSlot(v.getOpcode())
          && counts.get(v.var)[0] == 1 && counts.get(v.var)[1] == 1 && v.var >= ResidualMethod.TEMPORARY
          && next != null && pushesOneSlot(next) && next.getNext() instanceof VarInsnNode l && l.var == v.var) {
        // t = v (a long or double); push y; load t: y goes before the code computing v, which stays on the stack.
        final AbstractInsnNode start = valueStart(v.getPrevious(), 2);
        if (start != null) {
          final AbstractInsnNode after = l.getNext();
          code.remove(next);
          code.insertBefore(start, next);
          code.remove(v);
          code.remove(l);
          n = after;
          changed = true;
          continue;
        }
      }
      if (n instanceof JumpInsnNode j && j.getOpcode() == GOTO && fallsInto(next, j.label)) {
        code.remove(n);
        changed = true;
      } else if (n instanceof JumpInsnNode j && j.getOpcode() != JSR && fallsInto(next, j.label)) {
        // A test whose both outcomes go on at the same place only consumes its operands.
        code.set(n, new InsnNode(j.getOpcode() >= IF_ICMPEQ && j.getOpcode() <= IF_ACMPNE ? POP2 : POP));
        changed = true;
      }
      n = next;
    }
    if (!copies.isEmpty()) {
      for (AbstractInsnNode m = code.getFirst(); m != null; m = m.getNext()) {
        if (m instanceof VarInsnNode use && !isStore(use.getOpcode())) {
          Integer to = copies.get(use.var);
          while (to != null) {
            use.var = to;
            to = copies.get(to);
          }
        }
      }
    }
    return changed;
  }

  /**
   * {@code t = v; <code pushing one single-slot value y>; load t}, where {@code t} is read only there and the code
   * in between runs straight through without touching anything below its own operands: {@code v} stays on the stack
   * under {@code y} and a {@code swap} restores the order ({@code swap; swap} cancel). No handler can read
   * {@code t} (its one read is this load), so a throw in between loses nothing.
   */
  private static boolean swapUnder(final InsnList code, final VarInsnNode store) {
    int depth = 0;
    for (AbstractInsnNode n = store.getNext(); n != null; n = n.getNext()) {
      if (n instanceof VarInsnNode l && l.var == store.var) {
        if (depth != 1 || l.getOpcode() != store.getOpcode() - ISTORE + ILOAD || n == store.getNext()) {
          return false;
        }
        code.remove(store);
        if (l.getNext() != null && l.getNext().getOpcode() == SWAP) {
          code.remove(l.getNext());
          code.remove(l);
        } else {
          code.set(l, new InsnNode(SWAP));
        }
        return true;
      }
      final int[] effect = StackEffect.of(n);
      if (effect == null || depth - effect[0] < 0) {
        return false;
      }
      depth += effect[1] - effect[0];
    }
    return false;
  }

  /** Parameters and temporaries are written at most once (parameters never): their value never changes. */
  private static boolean immutable(final int local) {
    return local < ResidualMethod.POSITIONAL || local >= ResidualMethod.TEMPORARY;
  }

  private static boolean fallsInto(final AbstractInsnNode from, final LabelNode label) {
    for (AbstractInsnNode n = from; n instanceof LabelNode; n = n.getNext()) {
      if (n == label) {
        return true;
      }
    }
    return false;
  }

  private static boolean oneSlotLoad(final VarInsnNode v) {
    return v.getOpcode() == ILOAD || v.getOpcode() == FLOAD || v.getOpcode() == ALOAD;
  }

  private static boolean oneSlot(final int storeOpcode) {
    return storeOpcode == ISTORE || storeOpcode == FSTORE || storeOpcode == ASTORE;
  }

  /** Whether {@code n} only pushes one single-slot value and has no effect: a load or a small constant. */
  static boolean pushesOneSlot(final AbstractInsnNode n) {
    if (n instanceof VarInsnNode v) {
      final int op = v.getOpcode();
      return op == ILOAD || op == FLOAD || op == ALOAD;
    }
    final int op = n == null ? -1 : n.getOpcode();
    return op >= ACONST_NULL && op <= ICONST_5 || op >= FCONST_0 && op <= FCONST_2 || op == BIPUSH || op == SIPUSH
        || op == LDC && (((org.objectweb.asm.tree.LdcInsnNode) n).cst instanceof Integer
            || ((org.objectweb.asm.tree.LdcInsnNode) n).cst instanceof Float
            || ((org.objectweb.asm.tree.LdcInsnNode) n).cst instanceof String
            || classData(((org.objectweb.asm.tree.LdcInsnNode) n).cst));
  }

  /** A dynamic constant loading the residual class's class data (see {@link ResidualMethod}): no effect. */
  static boolean classData(final Object cst) {
    return cst instanceof org.objectweb.asm.ConstantDynamic c && c.getSize() == 1
        && c.getBootstrapMethod().getOwner().equals("java/lang/invoke/MethodHandles")
        && c.getBootstrapMethod().getName().equals("classDataAt");
  }

  private static boolean isStore(final int opcode) {
    return opcode >= ISTORE && opcode <= ASTORE;
  }
}
