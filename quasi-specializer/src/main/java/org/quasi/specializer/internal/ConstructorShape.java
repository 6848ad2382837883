package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.Value.Known;

/**
 * Decides whether an allocation may be virtual ({@link Virtual}), and what its constructor leaves in its fields: the
 * constructor chain, up to {@code Object} or {@code Record}, must do nothing but store arguments and constants into
 * the new object's own fields and call the next constructor of the chain on it. Such a constructor has no effect
 * but on the object, cannot throw, and reads nothing that may change, so running it later (at the point the object
 * escapes) gives the same object. Classes with a finalizer, abstract classes, and classes not proven initialized
 * (whose {@code new} would run a static initializer) are not virtual.
 *
 * @implNote Constructors that compute (arithmetic, calls, branches, reads of fields or other objects), copy arrays,
 *     or check their arguments are not analysed: their allocations stay in the residual code, as before.
 */
final class ConstructorShape {
  /** A marker for the object under construction in the simulated constructor frames. */
  private static final Value THIS = new Value.Unknown(Value.Kind.REF, -2);
  /** Constructors nested deeper than this (a long chain of superclasses) are not analysed. */
  private static final int MAX_CHAIN = 8;

  /** Arithmetic that may throw (division by zero): a constructor doing it is not analysed. */
  private static final java.util.Set<Integer> THROWING = java.util.Set.of(IDIV, LDIV, IREM, LREM);

  private final PartialEvaluator ev;

  ConstructorShape(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /**
   * Returns the fields the constructor {@code owner.<init>desc} of class {@code c} leaves, given its arguments (no
   * receiver), or null when the allocation cannot be virtual.
   */
  Map<Field, Value> fields(final Class<?> c, final String desc, final Value[] arguments) {
    if (c == null || c.isInterface() || c.isArray() || Modifier.isAbstract(c.getModifiers())
        || !ev.initialized(c) || hasFinalizer(c)) {
      return null;
    }
    // A dry run first: the real run emits the arithmetic on run-time values, which must not happen in vain.
    if (!run(c, desc, arguments, new java.util.LinkedHashMap<>(), 0, true)) {
      return null;
    }
    final Map<Field, Value> fields = new java.util.LinkedHashMap<>();
    run(c, desc, arguments, fields, 0, false);
    return fields;
  }

  /** Computes pure arithmetic of the constructor: folded on known operands, else emitted (not in a dry run). */
  private Value arithmetic(final int op, final Value[] operands, final boolean dry) {
    if (operands[0] instanceof Known a && (operands.length == 1 || operands[1] instanceof Known)) {
      final Known r = operands.length == 1 ? Arithmetic.unary(op, a) : Arithmetic.binary(op, a, (Known) operands[1]);
      if (r != null) {
        return r;
      }
    }
    for (final Value v : operands) {
      if (v == THIS || v instanceof Virtual) {
        return THIS;
      }
    }
    final Value.Kind kind = Arithmetic.resultKind(op);
    return dry ? new Value.Unknown(kind, -1) : ev.emit(op, operands, kind);
  }

  private static boolean hasFinalizer(final Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      try {
        k.getDeclaredMethod("finalize");
        return true;
      } catch (NoSuchMethodException e) {
        // Not here: look in the superclass.
      } catch (LinkageError | SecurityException e) {
        return true;
      }
    }
    return false;
  }

  private boolean run(final Class<?> declaring, final String desc, final Value[] arguments,
      final Map<Field, Value> fields, final int depth, final boolean dry) {
    if (declaring == Object.class || declaring == Record.class) {
      return desc.equals("()V");
    }
    if (depth > MAX_CHAIN) {
      return false;
    }
    final MethodFacts facts = ev.session.repository.facts(declaring, "<init>", desc, ev.session.screen);
    if (facts == null) {
      return false;
    }
    final Value[] locals = new Value[Math.max(1, facts.node.maxLocals)];
    locals[0] = THIS;
    int slot = 1;
    for (final Value a : arguments) {
      locals[slot] = a;
      slot += a.category();
    }
    final Value[] stack = new Value[Math.max(2, facts.node.maxStack)];
    int sp = 0;
    for (final AbstractInsnNode insn : facts.insns) {
      final int op = insn.getOpcode();
      switch (op) {
        case NOP -> { }
        case ALOAD, ILOAD, LLOAD, FLOAD, DLOAD -> {
          final Value v = locals[((VarInsnNode) insn).var];
          if (v == null) {
            return false;
          }
          stack[sp++] = v;
        }
        case ACONST_NULL -> stack[sp++] = Known.NULL;
        case ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5 ->
          stack[sp++] = Known.ofInt(op - ICONST_0);
        case LCONST_0, LCONST_1 -> stack[sp++] = Known.ofLong(op - LCONST_0);
        case FCONST_0, FCONST_1, FCONST_2 -> stack[sp++] = Known.ofFloat(op - FCONST_0);
        case DCONST_0, DCONST_1 -> stack[sp++] = Known.ofDouble(op - DCONST_0);
        case BIPUSH, SIPUSH -> stack[sp++] = Known.ofInt(((IntInsnNode) insn).operand);
        case LDC -> {
          final Object cst = ((LdcInsnNode) insn).cst;
          if (cst instanceof Integer i) {
            stack[sp++] = Known.ofInt(i);
          } else if (cst instanceof Long l) {
            stack[sp++] = Known.ofLong(l);
          } else if (cst instanceof Float x) {
            stack[sp++] = Known.ofFloat(x);
          } else if (cst instanceof Double x) {
            stack[sp++] = Known.ofDouble(x);
          } else if (cst instanceof String s) {
            final String constant = s.intern();
            ev.session.constantStrings.add(constant);
            ev.session.trace.constant(constant);
            stack[sp++] = ev.known(Known.ofRef(constant));
          } else {
            return false;
          }
        }
        case PUTFIELD -> {
          final Value value = stack[--sp];
          final Value receiver = stack[--sp];
          final FieldInsnNode f = (FieldInsnNode) insn;
          final Class<?> owner = ev.session.repository.classFor(f.owner, declaring);
          final Field field = owner == null ? null : ev.session.repository.resolveField(owner, f.name);
          if (receiver != THIS || value == THIS || value instanceof Virtual || field == null
              || field.getDeclaringClass() != declaring || Modifier.isStatic(field.getModifiers())) {
            return false;
          }
          fields.put(field, value);
        }
        case INVOKESPECIAL -> {
          final MethodInsnNode m = (MethodInsnNode) insn;
          final int n = Type.getArgumentTypes(m.desc).length;
          final Value[] args = new Value[n];
          for (int i = n - 1; i >= 0; i--) {
            args[i] = stack[--sp];
          }
          final Value receiver = stack[--sp];
          final Class<?> next = ev.session.repository.classFor(m.owner, declaring);
          if (!m.name.equals("<init>") || receiver != THIS || java.util.Arrays.asList(args).contains(THIS)
              || next == null || next != declaring && next != declaring.getSuperclass()
              || !run(next, m.desc, args, fields, depth + 1, dry)) {
            return false;
          }
        }
        case RETURN -> {
          return true;
        }
        case INEG, LNEG, FNEG, DNEG, I2L, I2F, I2D, L2I, L2F, L2D, F2I, F2L, F2D, D2I, D2L, D2F, I2B, I2C, I2S -> {
          final Value v = stack[--sp];
          stack[sp++] = arithmetic(op, new Value[] {v}, dry);
        }
        default -> {
          if (op >= IADD && op <= LXOR && !THROWING.contains(op)) {
            final Value b = stack[--sp];
            final Value a = stack[--sp];
            stack[sp++] = arithmetic(op, new Value[] {a, b}, dry);
          } else {
            return false;
          }
        }
      }
    }
    return false;
  }
}
