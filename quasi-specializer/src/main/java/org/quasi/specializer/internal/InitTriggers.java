package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Field;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Removes class-initialization triggers ({@code new C; pop}, see {@link PartialEvaluator#triggerInitialization})
 * that the residual code makes redundant: when the next instruction with an effect initializes the same class
 * ({@code new C}, or a static call or field access of a member C itself declares) and only loads of locals and
 * constants come in between, C is initialized at the same point of the sequence of effects without the trigger.
 *
 * <p>An initialization that fails throws from the instruction that triggers it, so the trigger and the instruction
 * that replaces it must be covered by the same residual handlers: the search stops at a label that starts or ends a
 * try range (the two would then be in different ranges, whose handler states may differ).
 */
final class InitTriggers {
  private InitTriggers() {
  }

  static void run(final InsnList code, final java.util.List<TryCatchBlockNode> handlers,
      final ClassRepository repository, final Class<?> context) {
    final Set<LabelNode> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      bounds.add(t.start);
      bounds.add(t.end);
    }
    for (AbstractInsnNode insn = code.getFirst(); insn != null; ) {
      final AbstractInsnNode next = insn.getNext();
      if (insn.getOpcode() == NEW && next != null && next.getOpcode() == POP) {
        final String c = ((TypeInsnNode) insn).desc;
        if (initializedNext(next.getNext(), c, bounds, repository, context)) {
          final AbstractInsnNode after = next.getNext();
          code.remove(insn);
          code.remove(next);
          insn = after;
          continue;
        }
      }
      insn = next;
    }
  }

  private static boolean initializedNext(final AbstractInsnNode from, final String c, final Set<LabelNode> bounds,
      final ClassRepository repository, final Class<?> context) {
    for (AbstractInsnNode insn = from; insn != null; insn = insn.getNext()) {
      if (insn instanceof LabelNode l && bounds.contains(l)) {
        return false;
      }
      final int op = insn.getOpcode();
      if (op < 0 || op >= ILOAD && op <= ALOAD || op >= ACONST_NULL && op <= SIPUSH
          || op == LDC && !(((LdcInsnNode) insn).cst instanceof org.objectweb.asm.Type)
          && !(((LdcInsnNode) insn).cst instanceof org.objectweb.asm.ConstantDynamic)) {
        continue;
      }
      if (op == NEW) {
        return ((TypeInsnNode) insn).desc.equals(c);
      }
      if (insn instanceof MethodInsnNode m && op == INVOKESTATIC && m.owner.equals(c)) {
        final Class<?> owner = repository.classFor(c, context);
        final ClassRepository.ResolvedMethod r = owner == null ? null : repository.resolve(owner, m.name, m.desc);
        return r != null && r.declaring() == owner;
      }
      if (insn instanceof FieldInsnNode f && (op == GETSTATIC || op == PUTSTATIC) && f.owner.equals(c)) {
        final Class<?> owner = repository.classFor(c, context);
        final Field field = owner == null ? null : repository.resolveField(owner, f.name);
        return field != null && field.getDeclaringClass() == owner;
      }
      return false;
    }
    return false;
  }
}
