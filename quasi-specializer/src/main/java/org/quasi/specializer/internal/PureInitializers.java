package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Recognizes static initializers whose running cannot be observed: they only store constants, strings and arrays of
 * constants (filled at constant indexes within their length) into their own class's static fields. No other class
 * is touched (so no other initialization is triggered), nothing can throw, and the only state written is what
 * nobody can read without initializing the class first. Skipping such an initialization (no trigger in the residual
 * code, static finals folded) is therefore never observable; {@link ClassRepository#hasStaticInitializer} treats
 * these classes like classes without a static initializer.
 *
 * @implNote Initializers that compute (arithmetic, calls), allocate objects, or use {@code ldc} of classes, handles
 *     or dynamic constants (which may fail to resolve) are not recognized; their classes keep the trigger.
 */
final class PureInitializers {
  /** A value on the simulated stack: an int constant, an array of known length, or anything else. */
  private record Slot(Integer constant, int arrayLength) {
    static final Slot OTHER = new Slot(null, -1);
  }

  private PureInitializers() {
  }

  private static final java.util.Map<MethodNode, Boolean> CACHE =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Whether {@code clinit}, the static initializer of class {@code owner} (internal name), is unobservable. */
  static boolean pure(final String owner, final MethodNode clinit) {
    return CACHE.computeIfAbsent(clinit, m -> analyse(owner, m));
  }

  private static boolean analyse(final String owner, final MethodNode clinit) {
    if (!clinit.tryCatchBlocks.isEmpty()) {
      return false;
    }
    final List<Slot> stack = new ArrayList<>();
    final Slot[] locals = new Slot[Math.max(1, clinit.maxLocals)];
    for (AbstractInsnNode insn = clinit.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      final int op = insn.getOpcode();
      if (op < 0 || op == NOP) {
        continue;
      }
      if (op >= ICONST_M1 && op <= ICONST_5) {
        stack.add(new Slot(op - ICONST_0, -1));
      } else if (op == BIPUSH || op == SIPUSH) {
        stack.add(new Slot(((IntInsnNode) insn).operand, -1));
      } else if (op == ACONST_NULL || op >= LCONST_0 && op <= DCONST_1) {
        stack.add(Slot.OTHER);
      } else if (op == LDC) {
        final Object cst = ((LdcInsnNode) insn).cst;
        if (cst instanceof Integer i) {
          stack.add(new Slot(i, -1));
        } else if (cst instanceof String || cst instanceof Number) {
          stack.add(Slot.OTHER);
        } else {
          return false;
        }
      } else if (op == NEWARRAY || op == ANEWARRAY && ((TypeInsnNode) insn).desc.equals("java/lang/String")) {
        final Slot length = pop(stack);
        if (length == null || length.constant() == null || length.constant() < 0) {
          return false;
        }
        stack.add(new Slot(null, length.constant()));
      } else if (op == DUP) {
        if (stack.isEmpty()) {
          return false;
        }
        stack.add(stack.get(stack.size() - 1));
      } else if (op >= IASTORE && op <= SASTORE) {
        pop(stack);
        final Slot index = pop(stack);
        final Slot array = pop(stack);
        if (array == null || index == null || index.constant() == null || index.constant() < 0
            || index.constant() >= array.arrayLength()) {
          return false;
        }
      } else if (op == PUTSTATIC) {
        // (No getstatic: a field inherited from an interface would initialize that interface.)
        if (!((FieldInsnNode) insn).owner.equals(owner) || pop(stack) == null) {
          return false;
        }
      } else if (op == ASTORE || op == ISTORE) {
        final Slot v = pop(stack);
        final int var = ((org.objectweb.asm.tree.VarInsnNode) insn).var;
        if (v == null || var >= locals.length) {
          return false;
        }
        locals[var] = v;
      } else if (op == ALOAD || op == ILOAD) {
        final int var = ((org.objectweb.asm.tree.VarInsnNode) insn).var;
        if (var >= locals.length || locals[var] == null) {
          return false;
        }
        stack.add(locals[var]);
      } else if (op == RETURN) {
        return true;
      } else {
        return false;
      }
    }
    return false;
  }

  private static Slot pop(final List<Slot> stack) {
    return stack.isEmpty() ? null : stack.remove(stack.size() - 1);
  }
}
