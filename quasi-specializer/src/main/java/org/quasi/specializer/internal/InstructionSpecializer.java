package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Array;
import java.util.Collections;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.Value.Kind;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Specializes one instruction of the top frame (JVMS chapter 6, opcode by opcode). Instructions whose operands are
 * known fold; the others are emitted. Anything that may throw with the operands at hand (division by zero, null
 * dereference, bad index, failing cast) is emitted rather than folded, so the residual code throws the same exception
 * at the same point of its sequence of effects.
 */
final class InstructionSpecializer {
  private static final Map<LabelNode, LabelNode> NO_LABELS = Collections.emptyMap();

  private final PartialEvaluator ev;

  InstructionSpecializer(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /** Specializes the instruction at the top frame's pc; returns false when the block ends there. */
  boolean step(final State s) {
    final Frame f = s.top();
    final AbstractInsnNode insn = f.method.insns[f.pc];
    final int op = insn.getOpcode();
    switch (op) {
      case NOP -> { }
      case ACONST_NULL -> f.push(Known.NULL);
      case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 -> f.push(Known.ofInt(op - ICONST_0));
      case LCONST_0, LCONST_1 -> f.push(Known.ofLong(op - LCONST_0));
      case FCONST_0, FCONST_1, FCONST_2 -> f.push(Known.ofFloat(op - FCONST_0));
      case DCONST_0, DCONST_1 -> f.push(Known.ofDouble(op - DCONST_0));
      case BIPUSH, SIPUSH -> f.push(Known.ofInt(((IntInsnNode) insn).operand));
      case LDC -> ldc(f, (LdcInsnNode) insn);
      case ILOAD, LLOAD, FLOAD, DLOAD, ALOAD -> f.push(f.load(((VarInsnNode) insn).var));
      case ISTORE, LSTORE, FSTORE, DSTORE, ASTORE -> f.store(((VarInsnNode) insn).var, f.pop());
      case IALOAD, LALOAD, FALOAD, DALOAD, AALOAD, BALOAD, CALOAD, SALOAD -> arrayLoad(s, f, op);
      case IASTORE, LASTORE, FASTORE, DASTORE, AASTORE, BASTORE, CASTORE, SASTORE -> {
        final Value[] operands = f.pop(3);
        if (!ev.virtuals.arrayStore(s, operands)) {
          ev.emit(op, operands, Kind.NONE);
          s.kills = s.kills.killArrays();
        }
      }
      case POP, POP2, DUP, DUP_X1, DUP_X2, DUP2, DUP2_X1, DUP2_X2, SWAP -> stack(f, op);
      case INEG, LNEG, FNEG, DNEG, I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F, I2B, I2C, I2S ->
        unary(f, op);
      case IINC -> iinc(f, (IincInsnNode) insn);
      case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE, IFNULL, IFNONNULL -> {
        return jump(s, f, (JumpInsnNode) insn, f.pop(1));
      }
      case IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT, IF_ICMPLE, IF_ACMPEQ, IF_ACMPNE -> {
        return jump(s, f, (JumpInsnNode) insn, f.pop(2));
      }
      case GOTO -> {
        f.pc = f.method.target(((JumpInsnNode) insn).label);
        return true;
      }
      case TABLESWITCH, LOOKUPSWITCH -> {
        return switchInsn(s, f, insn);
      }
      case IRETURN, LRETURN, FRETURN, DRETURN, ARETURN, RETURN -> {
        return ret(s, op);
      }
      case GETSTATIC, GETFIELD -> ev.heap.read(s, f, (FieldInsnNode) insn);
      case PUTSTATIC, PUTFIELD -> ev.heap.write(s, f, (FieldInsnNode) insn);
      case INVOKEVIRTUAL, INVOKESPECIAL, INVOKESTATIC, INVOKEINTERFACE -> {
        return ev.calls.invoke(s, f, (MethodInsnNode) insn);
      }
      case INVOKEDYNAMIC -> ev.calls.invokeDynamic(s, f, insn);
      case NEW -> ev.calls.allocate(s, f, (TypeInsnNode) insn);
      case NEWARRAY, ANEWARRAY -> {
        final Value length = f.pop();
        final Value virtual = ev.virtuals.newArray(f, insn, length);
        f.push(virtual != null ? virtual : ev.emit(insn.clone(NO_LABELS), new Value[] {length}, Kind.REF));
      }
      case MULTIANEWARRAY -> f.push(ev.emit(insn.clone(NO_LABELS),
          f.pop(((MultiANewArrayInsnNode) insn).dims), Kind.REF));
      case ARRAYLENGTH -> arrayLength(f);
      case ATHROW -> {
        ev.emit(op, f.pop(1), Kind.NONE);
        return false;
      }
      case CHECKCAST -> checkcast(f, (TypeInsnNode) insn);
      // Locking is never folded away, not even on a known object: another thread may lock it too.
      case MONITORENTER, MONITOREXIT -> ev.emit(op, f.pop(1), Kind.NONE);
      case INSTANCEOF -> instanceOf(f, (TypeInsnNode) insn);
      default -> {
        if (op >= IADD && op <= DCMPG) {
          binary(f, op);
        } else {
          throw new IllegalStateException("opcode " + op + " reached the evaluator; the screen should have "
              + "refused it");
        }
      }
    }
    f.pc++;
    return true;
  }

  private void ldc(final Frame f, final LdcInsnNode insn) {
    final Object cst = insn.cst;
    if (cst instanceof Integer i) {
      f.push(Known.ofInt(i));
    } else if (cst instanceof Long l) {
      f.push(Known.ofLong(l));
    } else if (cst instanceof Float x) {
      f.push(Known.ofFloat(x));
    } else if (cst instanceof Double x) {
      f.push(Known.ofDouble(x));
    } else if (cst instanceof String str) {
      // ldc yields the interned instance; identity comparisons with it must keep working.
      final String constant = str.intern();
      ev.session.constantStrings.add(constant);
      ev.session.trace.constant(constant);
      f.push(ev.known(Known.ofRef(constant)));
    } else if (cst instanceof Type t && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY)) {
      final Class<?> c = ev.session.repository.classFor(t, f.method.declaringClass);
      if (c != null) {
        ev.session.trace.constant(c);
      }
      f.push(c != null ? Known.ofRef(c) : ev.emit(insn.clone(NO_LABELS), new Value[0], Kind.REF));
    } else {
      f.push(ev.emit(insn.clone(NO_LABELS), new Value[0], Kind.REF));
    }
  }

  private void arrayLoad(final State s, final Frame f, final int op) {
    final Value[] operands = f.pop(2);
    final Value virtual = ev.virtuals.arrayLoad(operands);
    if (virtual != null) {
      f.push(virtual);
      return;
    }
    final Kind kind = switch (op) {
      case LALOAD -> Kind.LONG;
      case FALOAD -> Kind.FLOAT;
      case DALOAD -> Kind.DOUBLE;
      case AALOAD -> Kind.REF;
      default -> Kind.INT;
    };
    if (operands[0] instanceof Known a && operands[1] instanceof Known i) {
      final Known folded = ev.heap.element(s, a, i.asInt(), kind);
      if (folded != null) {
        f.push(folded);
        return;
      }
    }
    f.push(ev.emit(op, operands, kind));
  }

  private void arrayLength(final Frame f) {
    final Value a = f.pop();
    if (a instanceof Virtual v && v.shape == Virtual.Shape.ARRAY) {
      f.push(Known.ofInt(v.elements.length));
    } else if (a instanceof Known k && k.value() != null) {
      // An array's length never changes: no dependency needed (but another array may have another length).
      final int length = Array.getLength(k.value());
      ev.session.trace.length(k.value(), length);
      f.push(Known.ofInt(length));
    } else {
      f.push(ev.emit(ARRAYLENGTH, new Value[] {a}, Kind.INT));
    }
  }

  private void binary(final Frame f, final int op) {
    final Value[] operands = f.pop(2);
    if (operands[0] instanceof Known a && operands[1] instanceof Known b) {
      final Known r = Arithmetic.binary(op, a, b);
      if (r != null) {
        f.push(r);
        return;
      }
    }
    final Value simplified = Arithmetic.identity(op, operands[0], operands[1]);
    f.push(simplified != null ? simplified : ev.emit(op, operands, Arithmetic.resultKind(op)));
  }

  private void unary(final Frame f, final int op) {
    final Value v = f.pop();
    f.push(v instanceof Known k ? Arithmetic.unary(op, k) : ev.emit(op, new Value[] {v}, Arithmetic.resultKind(op)));
  }

  private void iinc(final Frame f, final IincInsnNode insn) {
    final Value v = f.load(insn.var);
    if (v instanceof Known k) {
      f.store(insn.var, Known.ofInt(k.asInt() + insn.incr));
    } else {
      f.store(insn.var, ev.emit(IADD, new Value[] {v, Known.ofInt(insn.incr)}, Kind.INT));
    }
  }

  private boolean jump(final State s, final Frame f, final JumpInsnNode insn, final Value[] operands) {
    final int target = f.method.target(insn.label);
    final Boolean virtualTest = VirtualOps.referenceTest(insn.getOpcode(), operands);
    if (virtualTest != null) {
      ev.counters.branchesFolded++;
      f.pc = virtualTest ? target : f.pc + 1;
      return true;
    }
    boolean allKnown = true;
    for (final Value v : operands) {
      allKnown &= v instanceof Known;
    }
    if (allKnown) {
      ev.counters.branchesFolded++;
      final boolean taken = Arithmetic.condition(insn.getOpcode(), (Known) operands[0],
          operands.length > 1 ? (Known) operands[1] : null);
      f.pc = taken ? target : f.pc + 1;
      return true;
    }
    final LabelNode other = new LabelNode();
    for (final Value v : operands) {
      ev.residual.push(v);
    }
    ev.residual.add(new JumpInsnNode(insn.getOpcode(), other));
    if (f.method.loopExits[f.pc]) {
      s.residualBranches++;
    }
    s.splits++;
    final State taken = s.copy();
    taken.top().pc = target;
    ev.fork(other, taken);
    f.pc++;
    return true;
  }

  private boolean switchInsn(final State s, final Frame f, final AbstractInsnNode insn) {
    final Value selector = f.pop();
    final LabelNode dflt;
    final java.util.List<LabelNode> labels;
    final int[] keys;
    if (insn instanceof TableSwitchInsnNode t) {
      dflt = t.dflt;
      labels = t.labels;
      keys = new int[t.labels.size()];
      for (int i = 0; i < keys.length; i++) {
        keys[i] = t.min + i;
      }
    } else {
      final LookupSwitchInsnNode l = (LookupSwitchInsnNode) insn;
      dflt = l.dflt;
      labels = l.labels;
      keys = l.keys.stream().mapToInt(Integer::intValue).toArray();
    }
    if (selector instanceof Known k) {
      ev.counters.branchesFolded++;
      LabelNode target = dflt;
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] == k.asInt()) {
          target = labels.get(i);
        }
      }
      f.pc = f.method.target(target);
      return true;
    }
    // One residual stub per distinct original target; each continues specialization from a copy of the state.
    final Map<LabelNode, LabelNode> stubs = new java.util.LinkedHashMap<>();
    final LabelNode[] residualLabels = new LabelNode[labels.size()];
    for (int i = 0; i < residualLabels.length; i++) {
      residualLabels[i] = stubs.computeIfAbsent(labels.get(i), x -> new LabelNode());
    }
    final LabelNode residualDefault = stubs.computeIfAbsent(dflt, x -> new LabelNode());
    ev.residual.push(selector);
    ev.residual.add(new LookupSwitchInsnNode(residualDefault, keys, residualLabels));
    if (f.method.loopExits[f.pc]) {
      s.residualBranches++;
    }
    s.splits++;
    for (final Map.Entry<LabelNode, LabelNode> e : stubs.entrySet()) {
      final State branch = s.copy();
      branch.top().pc = f.method.target(e.getKey());
      ev.fork(e.getValue(), branch);
    }
    return false;
  }

  private boolean ret(final State s, final int op) {
    if (s.depth == 1) {
      ev.emit(op, op == RETURN ? new Value[0] : s.top().pop(1), Kind.NONE);
      return false;
    }
    final Value result = op == RETURN ? null : s.top().pop();
    final Frame callee = s.popFrame();
    final Frame caller = s.top();
    if (result != null) {
      caller.push(result);
    }
    caller.pc++;
    // Several returns reached by several paths would each copy the caller's continuation: join them instead.
    ev.forceJoin = callee.method.returns > 1 && s.splits != callee.splitsAtEntry;
    return true;
  }

  private void checkcast(final Frame f, final TypeInsnNode insn) {
    final Value v = f.peek(0);
    if (v instanceof Virtual w && ev.virtuals.checkcastPasses(f, w, insn)) {
      return;
    }
    if (v instanceof Known k) {
      final Class<?> c = ev.session.repository.classFor(insn.desc, f.method.declaringClass);
      if (k.value() == null || c != null && c.isInstance(k.value())) {
        return;
      }
    }
    f.pop();
    f.push(ev.emit(insn.clone(NO_LABELS), new Value[] {v}, Kind.REF));
  }

  private void instanceOf(final Frame f, final TypeInsnNode insn) {
    final Value v = f.pop();
    final Known virtual = v instanceof Virtual w ? ev.virtuals.instanceOf(f, w, insn) : null;
    if (virtual != null) {
      f.push(virtual);
      return;
    }
    if (v instanceof Known k) {
      if (k.value() == null) {
        f.push(Known.ofInt(0));
        return;
      }
      final Class<?> c = ev.session.repository.classFor(insn.desc, f.method.declaringClass);
      if (c != null) {
        f.push(Known.ofInt(c.isInstance(k.value()) ? 1 : 0));
        return;
      }
    }
    f.push(ev.emit(insn.clone(NO_LABELS), new Value[] {v}, Kind.INT));
  }

  private static void stack(final Frame f, final int op) {
    switch (op) {
      case POP -> f.pop();
      case POP2 -> {
        if (f.pop().category() == 1) {
          f.pop();
        }
      }
      case DUP -> f.push(f.peek(0));
      case DUP_X1 -> {
        final Value v1 = f.pop();
        final Value v2 = f.pop();
        push(f, v1, v2, v1);
      }
      case DUP_X2 -> {
        final Value v1 = f.pop();
        final Value v2 = f.pop();
        if (v2.category() == 2) {
          push(f, v1, v2, v1);
        } else {
          final Value v3 = f.pop();
          push(f, v1, v3, v2, v1);
        }
      }
      case DUP2 -> {
        final Value v1 = f.pop();
        if (v1.category() == 2) {
          push(f, v1, v1);
        } else {
          final Value v2 = f.pop();
          push(f, v2, v1, v2, v1);
        }
      }
      case DUP2_X1 -> {
        final Value v1 = f.pop();
        final Value v2 = f.pop();
        if (v1.category() == 2) {
          push(f, v1, v2, v1);
        } else {
          final Value v3 = f.pop();
          push(f, v2, v1, v3, v2, v1);
        }
      }
      case DUP2_X2 -> {
        final Value v1 = f.pop();
        final Value v2 = f.pop();
        if (v1.category() == 2) {
          if (v2.category() == 2) {
            push(f, v1, v2, v1);
          } else {
            final Value v3 = f.pop();
            push(f, v1, v3, v2, v1);
          }
        } else {
          final Value v3 = f.pop();
          if (v3.category() == 2) {
            push(f, v2, v1, v3, v2, v1);
          } else {
            final Value v4 = f.pop();
            push(f, v2, v1, v4, v3, v2, v1);
          }
        }
      }
      case SWAP -> {
        final Value v1 = f.pop();
        final Value v2 = f.pop();
        push(f, v1, v2);
      }
      default -> throw new IllegalArgumentException("not a stack instruction: " + op);
    }
  }

  private static void push(final Frame f, final Value... values) {
    for (final Value v : values) {
      f.push(v);
    }
  }

  static InsnNode insn(final int opcode) {
    return new InsnNode(opcode);
  }

  static Unknown unknown(final Value v) {
    return (Unknown) v;
  }
}
