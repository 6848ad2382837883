package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Avoids peeling loops whose control is unknown from the start. A loop entered with a known counter ({@code i = 0})
 * but bounded by an unknown ({@code i < n}) used to be specialized once with the counter known, then again in
 * general when the residual exit test brought it back: the first iteration was copied for nothing. When the test
 * at the loop header depends on a local that is unknown at entry, that test is residual on the first iteration (and
 * on the next ones, unless the loop writes that local a known value), so the locals the loop writes are lifted to
 * unknown at the entry, and the heap knowledge its residual writes may kill is killed there, as the meet at the
 * second arrival would have done anyway. Lifting is always sound: it only forgets knowledge.
 *
 * @implNote The dependence of the header's test on locals is found by simulating the header's straight-line code:
 *     values read through fields, calls and arrays count as depending on the locals they are computed from (an
 *     optimistic view, which only ever leads to not lifting). Loops whose test is not at the header are unaffected.
 */
final class LoopControl {
  /**
   * Per loop header: the locals its exit test depends on (null: no such test), the locals the loop writes, and the
   * heap the loop's residual code may write: fields it stores into, whether it stores into arrays, whether it calls
   * code that may write anything, whether it reads fields (which a field assumption's volatile read kills).
   */
  private record Header(BitSet control, BitSet written, List<FieldInsnNode> puts, boolean arrays, boolean all,
      boolean reads, int size) {
  }

  private static final Map<MethodFacts, Map<Integer, Header>> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private LoopControl() {
  }

  /**
   * Returns {@code s} (a state at a loop header) with the locals written by the loop lifted to unknown if its
   * control is unknown, or if the loop is kept {@linkplain Session#rolled rolled}; otherwise {@code s} itself.
   * Lifting on every arrival is harmless: through the back edge those locals were already lifted at the entry, or
   * the loop's control is unknown and a meet would lift them.
   */
  static State liftIfUnknown(final State s, final Session session) {
    final Frame f = s.top();
    final Header h = header(f.method, f.pc);
    final boolean rolled = session.rolled.contains(List.of(f.method, f.pc));
    if (h.control() == null && !rolled) {
      return s;
    }
    boolean unknownBound = rolled;
    for (int l = rolled ? -1 : h.control().nextSetBit(0); l >= 0 && !unknownBound;
        l = h.control().nextSetBit(l + 1)) {
      // Unknown at the header: the test is residual now, and on later arrivals too unless the loop writes the
      // local a known value (then lifting only keeps the loop rolled).
      unknownBound = l < f.locals.length && f.locals[l] instanceof Unknown;
    }
    if (!unknownBound) {
      return s;
    }
    final State lifted = s.copy();
    final Frame lf = lifted.top();
    boolean changed = false;
    final Set<Virtual> liftedVirtuals = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int l = h.written().nextSetBit(0); l >= 0 && l < lf.locals.length; l = h.written().nextSetBit(l + 1)) {
      if (lf.locals[l] instanceof Known || lf.locals[l] instanceof Virtual) {
        if (lf.locals[l] instanceof Virtual v) {
          liftedVirtuals.add(v);
        }
        lf.locals[l] = new Unknown(lf.locals[l].kind(), -1);
        changed = true;
      }
    }
    liftAliases(lifted, liftedVirtuals);
    // The heap knowledge the loop's writes kill, killed at the entry already: otherwise the first arrival's state
    // differs from the back edge's only in what is killed, and the first iteration is copied for that alone.
    final HeapKills kills = bodyKills(h, s.kills, f.method.declaringClass, session);
    if (!kills.equals(s.kills)) {
      lifted.kills = kills;
      changed = true;
    }
    return changed ? lifted : s;
  }

  /**
   * Lifts every other slot, in every frame, that holds one of {@code virtuals}: a virtual value is one object, which
   * its slots share by holding the same instance ({@link Virtual}). Lifting only the loop's written local would give
   * the loop a real object there and a compile-time copy in its aliases, and writes through one would be lost to the
   * others. Lifted alike, every alias becomes a variant local into which the arrival moves the one real object (the
   * {@link Materializer} makes it once and replaces it everywhere in the arriving state).
   */
  private static void liftAliases(final State lifted, final Set<Virtual> virtuals) {
    if (virtuals.isEmpty()) {
      return;
    }
    for (int d = 0; d < lifted.depth; d++) {
      final Frame f = lifted.frames[d];
      for (int i = 0; i < f.locals.length; i++) {
        if (f.locals[i] instanceof Virtual v && virtuals.contains(v)) {
          f.locals[i] = new Unknown(v.kind(), -1);
        }
      }
      for (int i = 0; i < f.sp; i++) {
        if (f.stack[i] instanceof Virtual v && virtuals.contains(v)) {
          f.stack[i] = new Unknown(v.kind(), -1);
        }
      }
    }
  }

  /** The number of instructions in the loop of {@code header} (its natural loop, in its own method). */
  static int bodySize(final MethodFacts m, final int header) {
    return header(m, header).size();
  }

  /**
   * Whether the iteration just unrolled at {@code header} was fruitless: it folded no read of a known or virtual
   * object ({@code objectFolds}: no field of the list node it reached, no element at its known index) and its
   * residual code, {@code residual} instructions, is at least half of the loop's own. Unrolling such a loop copies
   * its body once per iteration for the sake of its counter alone, so the specializer keeps it
   * {@linkplain Session#rolled rolled} instead. Iterations that fold (a walk over a known list comparing known keys,
   * a sum over a quasi-invariant or virtual array) keep unrolling.
   */
  static boolean fruitless(final MethodFacts m, final int header, final int residual, final int objectFolds) {
    return objectFolds == 0 && 2 * residual >= bodySize(m, header);
  }

  /** How many times its own size a loop's unrolled iterations may grow when they fold no object. */
  static final int ARITHMETIC_GROWTH = 4;

  /**
   * Whether the iterations unrolled at {@code header} that folded no read of a known or virtual object have left more
   * than {@link #ARITHMETIC_GROWTH} times the loop's size of residual code ({@code residual} instructions): each
   * folded only its counter's arithmetic ({@code z[off + i] = 0} over a known count), and a long count copies the
   * body once per iteration for it. Such a loop is kept {@linkplain Session#rolled rolled}; iterations that fold
   * objects (the walk over a known list) are not counted.
   */
  static boolean overgrown(final MethodFacts m, final int header, final int residual) {
    return residual > ARITHMETIC_GROWTH * bodySize(m, header);
  }

  private static Header header(final MethodFacts m, final int header) {
    return CACHE.computeIfAbsent(m, x -> Collections.synchronizedMap(new java.util.HashMap<>()))
        .computeIfAbsent(header, pc -> analyse(m, pc));
  }

  /** {@code kills} with what the loop's residual code may kill added (more than it does, never less). */
  private static HeapKills bodyKills(final Header h, final HeapKills kills, final Class<?> context,
      final Session session) {
    if (h.all()) {
      return kills.killAll();
    }
    HeapKills k = h.arrays() ? kills.killArrays() : kills;
    for (final FieldInsnNode put : h.puts()) {
      final Class<?> owner = session.repository.classFor(put.owner, context);
      final java.lang.reflect.Field field = owner == null ? null : session.repository.resolveField(owner, put.name);
      k = field == null ? k.killAll() : k.killField(Type.getInternalName(field.getDeclaringClass()), field.getName());
    }
    if (h.reads() && !session.assumptions.isEmpty()) {
      k = session.assumptions.killAll(k);
    }
    return k;
  }

  private static Header analyse(final MethodFacts m, final int header) {
    final BitSet written = new BitSet();
    final BitSet body = body(m, header);
    final List<FieldInsnNode> puts = new ArrayList<>();
    boolean arrays = false;
    boolean all = false;
    boolean reads = false;
    for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
      final AbstractInsnNode insn = m.insns[pc];
      final int op = insn.getOpcode();
      if (insn instanceof VarInsnNode v && op >= ISTORE && op <= ASTORE) {
        written.set(v.var);
      } else if (insn instanceof IincInsnNode i) {
        written.set(i.var);
      } else if (insn instanceof FieldInsnNode fi) {
        if (op == PUTFIELD || op == PUTSTATIC) {
          puts.add(fi);
        } else {
          reads = true;
        }
      } else if (op >= IASTORE && op <= SASTORE) {
        arrays = true;
      } else if (insn instanceof MethodInsnNode call) {
        // As a residual call kills (CallSpecializer): anything, unless the JDK method writes no user heap.
        if (!Purity.writesNoUserHeap(call.owner, call.name, call.desc)) {
          all = true;
        } else if (Purity.writesArrays(call.desc)) {
          arrays = true;
        }
      } else if (op == INVOKEDYNAMIC || op == MONITORENTER || op == MONITOREXIT) {
        all = true;
      }
    }
    int size = 0;
    for (int pc = body.nextSetBit(0); pc >= 0; pc = body.nextSetBit(pc + 1)) {
      size += m.insns[pc].getOpcode() >= 0 ? 1 : 0;
    }
    return new Header(control(m, header), written, List.copyOf(puts), arrays, all, reads, size);
  }

  /** The natural loop of {@code header}: the header and everything reaching one of its back edges without it. */
  private static BitSet body(final MethodFacts m, final int header) {
    final int n = m.insns.length;
    final List<List<Integer>> predecessors = new ArrayList<>();
    for (int pc = 0; pc <= n; pc++) {
      predecessors.add(new ArrayList<>());
    }
    for (int pc = 0; pc < n; pc++) {
      for (final int succ : m.successors(pc)) {
        predecessors.get(succ).add(pc);
      }
    }
    final BitSet body = new BitSet();
    body.set(header);
    final java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
    for (final int p : predecessors.get(header)) {
      if (p >= header && !body.get(p)) {
        body.set(p);
        work.push(p);
      }
    }
    while (!work.isEmpty()) {
      for (final int p : predecessors.get(work.pop())) {
        if (!body.get(p)) {
          body.set(p);
          work.push(p);
        }
      }
    }
    return body;
  }

  /** The locals the first branch of the header's straight-line code depends on, if it is a loop exit. */
  private static BitSet control(final MethodFacts m, final int header) {
    final List<BitSet> stack = new ArrayList<>();
    for (int pc = header; pc < m.insns.length; pc++) {
      if (pc > header && m.joins[pc]) {
        return null;
      }
      final AbstractInsnNode insn = m.insns[pc];
      final int op = insn.getOpcode();
      if (insn instanceof JumpInsnNode) {
        if (op == GOTO || !m.loopExits[pc]) {
          return null;
        }
        final int operands = op >= IF_ICMPEQ && op <= IF_ACMPNE ? 2 : 1;
        return stack.size() < operands ? null : union(stack, operands);
      }
      if (op == IINC || op == NOP) {
        continue;
      }
      if (insn instanceof VarInsnNode v && v.getOpcode() >= ILOAD && v.getOpcode() <= ALOAD) {
        final BitSet b = new BitSet();
        b.set(v.var);
        stack.add(b);
      } else if (op >= ACONST_NULL && op <= LDC || op == GETSTATIC) {
        stack.add(new BitSet());
      } else if (op >= IADD && op <= DCMPG && !(op >= INEG && op <= DNEG) && !(op >= I2L && op <= I2S)) {
        if (stack.size() < 2) {
          return null;
        }
        stack.add(union(stack, 2));
      } else if (op >= INEG && op <= DNEG || op >= I2L && op <= I2S || op == ARRAYLENGTH || op == GETFIELD
          || op == CHECKCAST || op == INSTANCEOF) {
        if (stack.isEmpty()) {
          return null;
        }
        stack.add(union(stack, 1));
      } else if (op >= IALOAD && op <= SALOAD) {
        if (stack.size() < 2) {
          return null;
        }
        stack.add(union(stack, 2));
      } else if (insn instanceof MethodInsnNode call) {
        final int n = Type.getArgumentTypes(call.desc).length + (op == INVOKESTATIC ? 0 : 1);
        if (stack.size() < n) {
          return null;
        }
        final BitSet b = union(stack, n);
        if (Type.getReturnType(call.desc).getSort() != Type.VOID) {
          stack.add(b);
        }
      } else {
        return null;
      }
    }
    return null;
  }

  /** Pops {@code n} entries and returns the union of their dependencies. */
  private static BitSet union(final List<BitSet> stack, final int n) {
    final BitSet b = new BitSet();
    for (int i = 0; i < n; i++) {
      b.or(stack.remove(stack.size() - 1));
    }
    return b;
  }
}
