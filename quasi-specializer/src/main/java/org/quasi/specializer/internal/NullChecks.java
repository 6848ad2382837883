package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Removes explicit null checks ({@code aload r; invokevirtual Object.getClass; pop}, what the residual code does
 * where the original dereferenced an unknown receiver that specialization then inlined or folded away) when the next
 * instruction with an effect dereferences {@code r} anyway: a field access, a call on it, {@code arraylength}, an
 * array access, {@code monitorenter} or {@code athrow}. Only loads of locals and constants may come in between, so
 * that dereference is the next thing that happens and throws the same {@link NullPointerException} at the same
 * point of the sequence of effects. Checks of a reference that cannot be null (a string or class data constant, an
 * object just allocated) go too.
 *
 * <p>As for {@link InitTriggers}, the search stops at a label that starts or ends a try range: the check and the
 * dereference must be covered by the same residual handlers.
 */
final class NullChecks {
  private NullChecks() {
  }

  /** Removes the redundant checks in {@code code}; returns whether it removed any. */
  static boolean run(final InsnList code, final List<TryCatchBlockNode> handlers) {
    // Every check this removes is a getClass call: without one there is no graph to build.
    boolean any = false;
    for (AbstractInsnNode insn = code.getFirst(); insn != null && !any; insn = insn.getNext()) {
      any = isGetClass(insn);
    }
    return any && (checkedAlready(code, handlers) | checkedNext(code, handlers));
  }

  /**
   * Removes the checks of locals that every path to them has checked or dereferenced since their last store: a
   * forward must analysis (nothing is assumed at a handler's entry). Parameters and the residual's locals hold the
   * same reference until stored again, and a check or dereference that completed proved it is not null.
   */
  private static boolean checkedAlready(final InsnList code, final List<TryCatchBlockNode> handlers) {
    final ResidualGraph g = new ResidualGraph(code, handlers);
    final int n = g.blocks.size();
    if (n == 0) {
      return false;
    }
    final List<Set<Integer>> in = g.mustHold(NullChecks::nonNullTransfer);
    boolean removed = false;
    final Set<AbstractInsnNode> gone = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int b = 0; b < n; b++) {
      if (in.get(b) == null) {
        continue;
      }
      final Set<Integer> checked = new java.util.HashSet<>(in.get(b));
      for (final AbstractInsnNode insn : g.blocks.get(b)) {
        if (gone.contains(insn)) {
          continue;
        }
        if (insn instanceof VarInsnNode load && load.getOpcode() == ALOAD && checked.contains(load.var)) {
          final AbstractInsnNode a = load.getNext();
          final AbstractInsnNode b2 = a == null ? null : a.getNext();
          final AbstractInsnNode c = b2 == null ? null : b2.getNext();
          if (isGetClass(a) && b2 != null && b2.getOpcode() == POP) {
            code.remove(load);
            code.remove(a);
            code.remove(b2);
            gone.addAll(List.of(a, b2));
            removed = true;
            continue;
          }
          if (a != null && a.getOpcode() == DUP && isGetClass(b2) && c != null && c.getOpcode() == POP) {
            code.remove(a);
            code.remove(b2);
            code.remove(c);
            gone.addAll(List.of(a, b2, c));
            removed = true;
          }
        }
        nonNullTransfer(insn, checked);
      }
    }
    return removed;
  }

  /** A completed check or dereference of {@code aload r} proves r non-null; a store into r forgets it. */
  private static void nonNullTransfer(final AbstractInsnNode insn, final Set<Integer> checked) {
    if (insn instanceof VarInsnNode v && v.getOpcode() >= ISTORE && v.getOpcode() <= ASTORE) {
      checked.remove(v.var);
      return;
    }
    if (!(insn instanceof VarInsnNode load) || load.getOpcode() != ALOAD) {
      return;
    }
    AbstractInsnNode next = load.getNext();
    if (next != null && next.getOpcode() == DUP) {
      next = next.getNext();
    }
    if (next == null) {
      return;
    }
    final int op = next.getOpcode();
    if (isGetClass(next) || op == GETFIELD || op == ARRAYLENGTH || op == MONITORENTER
        || next instanceof MethodInsnNode m && op != INVOKESTATIC && !m.name.equals("<init>")
        && Type.getArgumentTypes(m.desc).length == 0) {
      checked.add(load.var);
    }
  }

  /** Removes the checks whose next effect dereferences the same reference. */
  private static boolean checkedNext(final InsnList code, final List<TryCatchBlockNode> handlers) {
    final Set<LabelNode> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      bounds.add(t.start);
      bounds.add(t.end);
    }
    boolean changed = false;
    for (AbstractInsnNode insn = code.getFirst(); insn != null; ) {
      final AbstractInsnNode call = insn.getNext();
      final AbstractInsnNode pop = call == null ? null : call.getNext();
      if (insn.getOpcode() == DUP && isGetClass(call) && pop != null && pop.getOpcode() == POP
          && nonNull(insn.getPrevious())) {
        // A check of a constant that is not null, or of an object just allocated: it cannot throw.
        final AbstractInsnNode after = pop.getNext();
        code.remove(insn);
        code.remove(call);
        code.remove(pop);
        changed = true;
        insn = after;
        continue;
      }
      if (insn instanceof VarInsnNode load && load.getOpcode() == ALOAD && isGetClass(call) && pop != null
          && pop.getOpcode() == POP && dereferencedNext(pop.getNext(), load.var, bounds)) {
        final AbstractInsnNode after = pop.getNext();
        code.remove(load);
        code.remove(call);
        code.remove(pop);
        changed = true;
        insn = after;
        continue;
      }
      insn = insn.getNext();
    }
    return changed;
  }

  /** Whether {@code n} pushes a reference that is never null: a string or class data constant, a new object. */
  private static boolean nonNull(final AbstractInsnNode n) {
    return n != null && (n.getOpcode() == NEW || n instanceof LdcInsnNode l && (l.cst instanceof String
        || Peephole.classData(l.cst)));
  }

  private static boolean isGetClass(final AbstractInsnNode n) {
    return n instanceof MethodInsnNode m && m.getOpcode() == INVOKEVIRTUAL && m.owner.equals("java/lang/Object")
        && m.name.equals("getClass") && m.desc.equals("()Ljava/lang/Class;");
  }

  /**
   * Whether the first instruction with an effect from {@code from} on dereferences the value of local {@code r}
   * pushed since: the operand stack is simulated from there (entries pushed since, {@code r} marked).
   */
  private static boolean dereferencedNext(final AbstractInsnNode from, final int r, final Set<LabelNode> bounds) {
    final List<Boolean> pushed = new ArrayList<>();
    for (AbstractInsnNode insn = from; insn != null; insn = insn.getNext()) {
      if (insn instanceof LabelNode l && bounds.contains(l)) {
        return false;
      }
      final int op = insn.getOpcode();
      if (op < 0) {
        continue;
      }
      if (op >= ILOAD && op <= ALOAD) {
        pushed.add(op == ALOAD && ((VarInsnNode) insn).var == r);
      } else if (op >= ACONST_NULL && op <= SIPUSH || op == LDC && plainConstant((LdcInsnNode) insn)) {
        pushed.add(false);
      } else {
        final int depth = dereferenceDepth(insn);
        // The dereferenced operand must have been pushed since the check, as a load of r.
        return depth >= 0 && depth < pushed.size() && pushed.get(pushed.size() - 1 - depth);
      }
    }
    return false;
  }

  /** A constant whose loading has no effect: not a class literal or method type (loading), or a dynamic constant
   *  other than the residual class's own class data. */
  private static boolean plainConstant(final LdcInsnNode ldc) {
    if (ldc.cst instanceof ConstantDynamic c) {
      return c.getBootstrapMethod().getOwner().equals("java/lang/invoke/MethodHandles")
          && c.getBootstrapMethod().getName().equals("classDataAt");
    }
    return !(ldc.cst instanceof Type) && !(ldc.cst instanceof org.objectweb.asm.Handle);
  }

  /**
   * How many operand-stack entries lie above the reference {@code insn} dereferences (null-checks before anything
   * else), or -1 when it dereferences none.
   */
  private static int dereferenceDepth(final AbstractInsnNode insn) {
    final int op = insn.getOpcode();
    if (op == GETFIELD || op == ARRAYLENGTH || op == MONITORENTER || op == ATHROW) {
      return 0;
    }
    if (op == PUTFIELD || op >= IALOAD && op <= SALOAD) {
      return 1;
    }
    if (op >= IASTORE && op <= SASTORE) {
      return 2;
    }
    if (insn instanceof MethodInsnNode m && (op == INVOKEVIRTUAL || op == INVOKEINTERFACE
        || op == INVOKESPECIAL && !m.name.equals("<init>"))) {
      return Type.getArgumentTypes(m.desc).length;
    }
    return -1;
  }
}
