package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * What the partial evaluator needs to know about one method's bytecode, computed once: its real instructions (labels,
 * line numbers and frames dropped, so an instruction index is a position in {@link #insns}), where control joins
 * (program points that get polyvariant specialization), loop headers, and which locals are live where (dead locals
 * are forgotten so they do not split variants).
 */
final class MethodFacts {
  final Class<?> declaringClass;
  final String owner;
  final MethodNode node;
  final AbstractInsnNode[] insns;
  /** Program points reached from more than one place (or the entry and a jump): specialized per known state. */
  final boolean[] joins;
  /** Targets of backward jumps. */
  final boolean[] loopHeaders;
  final int returns;
  /** Conditional branches and switches that may leave a loop (a successor outside a natural loop holding them). */
  final boolean[] loopExits;
  private final Map<LabelNode, Integer> labels;
  private final BitSet[] liveIn;
  /** The exception-table entries covering each instruction, in table order (null when none). */
  private final List<TryCatchBlockNode>[] handlers;
  /** Why this method cannot be specialized as a callee (or as the entry); null when it can. Set by the repository. */
  Refusal refusal;
  /**
   * When the method is refused only for some of its instructions ({@link CalleeScreen#refusedInstructions}): those.
   * Evaluation that reaches one throws ({@link PartialEvaluator}), so the method is inlined only where it never does.
   */
  java.util.BitSet refusedInstructions;

  /** Whether this method, refused, may still be inlined where evaluation reaches none of its refused instructions. */
  boolean inlinableWhereUnrefused() {
    return refusal != null && refusedInstructions != null;
  }

  /** A reason a method cannot be specialized, with the instruction at fault. */
  record Refusal(String reason, int index, int opcode) {
  }

  MethodFacts(final Class<?> declaringClass, final String owner, final MethodNode node) {
    this.declaringClass = declaringClass;
    this.owner = owner;
    this.node = node;
    this.labels = new IdentityHashMap<>();
    final List<AbstractInsnNode> real = new ArrayList<>();
    for (AbstractInsnNode n = node.instructions.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof LabelNode l) {
        labels.put(l, real.size());
      } else if (n.getOpcode() >= 0) {
        real.add(n);
      }
    }
    this.insns = real.toArray(new AbstractInsnNode[0]);
    final int n = insns.length;
    final int[] predecessors = new int[n + 1];
    this.loopHeaders = new boolean[n + 1];
    predecessors[0]++;
    int returnCount = 0;
    for (int pc = 0; pc < n; pc++) {
      final AbstractInsnNode insn = insns[pc];
      for (final int s : successors(pc)) {
        predecessors[s]++;
        if (s <= pc && !(s == pc + 1)) {
          loopHeaders[s] = true;
        }
      }
      final int op = insn.getOpcode();
      if (op >= IRETURN && op <= RETURN) {
        returnCount++;
      }
    }
    this.returns = returnCount;
    this.joins = new boolean[n + 1];
    for (int pc = 0; pc <= n; pc++) {
      joins[pc] = predecessors[pc] > 1 || loopHeaders[pc];
    }
    this.handlers = coverage(n);
    this.liveIn = liveness();
    this.loopExits = loopExits();
  }

  /**
   * Marks the branches that decide whether a loop is left: for every back edge s → h, the natural loop is h plus
   * everything that reaches s without passing h; a conditional branch or switch in it with a successor outside it
   * is an exit. A residual exit branch means the loop's control is not known, so the loop is not unrolled.
   */
  private boolean[] loopExits() {
    final int n = insns.length;
    final List<List<Integer>> predecessors = new ArrayList<>();
    for (int pc = 0; pc <= n; pc++) {
      predecessors.add(new ArrayList<>());
    }
    for (int pc = 0; pc < n; pc++) {
      for (final int succ : successors(pc)) {
        predecessors.get(succ).add(pc);
      }
    }
    final boolean[] exits = new boolean[n];
    for (int source = 0; source < n; source++) {
      for (final int header : successors(source)) {
        if (header > source || header == source + 1 && !loopHeaders[header]) {
          continue;
        }
        final BitSet body = new BitSet();
        body.set(header);
        final java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        if (!body.get(source)) {
          body.set(source);
          work.push(source);
        }
        while (!work.isEmpty()) {
          for (final int p : predecessors.get(work.pop())) {
            if (!body.get(p)) {
              body.set(p);
              work.push(p);
            }
          }
        }
        for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
          final int[] succ = successors(pc);
          if (succ.length > 1) {
            for (final int t : succ) {
              exits[pc] |= !body.get(t);
            }
          }
        }
      }
    }
    return exits;
  }

  /**
   * Returns the exception-table entries covering instruction {@code pc}, in the order the JVM searches them, or null
   * when no handler covers it.
   */
  List<TryCatchBlockNode> handlers(final int pc) {
    return pc < handlers.length ? handlers[pc] : null;
  }

  @SuppressWarnings("unchecked")
  private List<TryCatchBlockNode>[] coverage(final int n) {
    final List<TryCatchBlockNode>[] at = new List[n];
    for (final TryCatchBlockNode t : node.tryCatchBlocks) {
      final int end = target(t.end);
      for (int pc = target(t.start); pc < end; pc++) {
        if (at[pc] == null) {
          at[pc] = new ArrayList<>(2);
        }
        at[pc].add(t);
      }
    }
    return at;
  }

  /** Returns the instruction index a label designates. */
  int target(final LabelNode label) {
    return labels.get(label);
  }

  /** Returns whether local {@code slot} may be read before being written, starting at instruction {@code pc}. */
  boolean live(final int pc, final int slot) {
    return pc < liveIn.length && liveIn[pc].get(slot);
  }

  /** Returns the distinct successor instruction indexes of instruction {@code pc} (exceptions aside). */
  int[] successors(final int pc) {
    final AbstractInsnNode insn = insns[pc];
    final int op = insn.getOpcode();
    if (insn instanceof JumpInsnNode j) {
      final int t = target(j.label);
      return op == GOTO ? new int[] {t} : distinct(pc + 1, t);
    }
    if (insn instanceof TableSwitchInsnNode t) {
      return switchTargets(t.dflt, t.labels);
    }
    if (insn instanceof LookupSwitchInsnNode l) {
      return switchTargets(l.dflt, l.labels);
    }
    if ((op >= IRETURN && op <= RETURN) || op == ATHROW || op == RET) {
      return new int[0];
    }
    return new int[] {pc + 1};
  }

  private int[] switchTargets(final LabelNode dflt, final List<LabelNode> cases) {
    final BitSet set = new BitSet();
    set.set(target(dflt));
    for (final LabelNode l : cases) {
      set.set(target(l));
    }
    return set.stream().toArray();
  }

  private static int[] distinct(final int a, final int b) {
    return a == b ? new int[] {a} : new int[] {a, b};
  }

  /** Classic backward may-liveness over locals, iterated to a fixed point. */
  private BitSet[] liveness() {
    final int n = insns.length;
    final BitSet[] in = new BitSet[n + 1];
    for (int i = 0; i <= n; i++) {
      in[i] = new BitSet();
    }
    final int[][] succ = new int[n][];
    for (int pc = 0; pc < n; pc++) {
      succ[pc] = successors(pc);
    }
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int pc = n - 1; pc >= 0; pc--) {
        final BitSet out = new BitSet();
        for (final int s : succ[pc]) {
          out.or(in[s]);
        }
        final AbstractInsnNode insn = insns[pc];
        if (insn instanceof VarInsnNode v) {
          final int op = v.getOpcode();
          if (op >= ISTORE && op <= ASTORE) {
            out.clear(v.var);
            if (op == LSTORE || op == DSTORE) {
              out.clear(v.var + 1);
            }
          } else {
            out.set(v.var);
            if (op == LLOAD || op == DLOAD) {
              out.set(v.var + 1);
            }
          }
        } else if (insn instanceof IincInsnNode i) {
          out.set(i.var);
        }
        if (handlers[pc] != null) {
          // An exception leaves before the instruction's effect: what a handler reads is live here too.
          for (final TryCatchBlockNode t : handlers[pc]) {
            out.or(in[target(t.handler)]);
          }
        }
        if (!out.equals(in[pc])) {
          in[pc] = out;
          changed = true;
        }
      }
    }
    return in;
  }

  @Override
  public String toString() {
    return owner + "." + node.name + node.desc;
  }
}
