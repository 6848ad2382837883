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
 * Removes class-initialization triggers ({@code new C; pop}, or {@code getstatic C.f; pop} for an interface or an
 * abstract class, see {@link PartialEvaluator#triggerInitialization})
 * that the residual code makes redundant: when the next instruction with an effect initializes the same class
 * ({@code new C}, or a static call or field access of a member C itself declares) and only loads of locals and
 * constants whose loading cannot fail (numbers, strings: not a method handle, whose resolution may throw) come in
 * between, C is initialized at the same point of the sequence of effects without the trigger.
 *
 * <p>Also removes the triggers of classes every path to them has initialized already ({@link #removeRepeated}):
 * inlined static calls of one class each bring their own trigger.
 *
 * <p>An initialization that fails throws from the instruction that triggers it, so the trigger and the instruction
 * that replaces it must be covered by the same residual handlers: the search stops at a label that starts or ends a
 * try range (the two would then be in different ranges, whose handler states may differ).
 */
final class InitTriggers {
  private InitTriggers() {
  }

  /** Removes the redundant triggers in {@code code}; returns whether it removed any. */
  static boolean run(final InsnList code, final java.util.List<TryCatchBlockNode> handlers,
      final ClassRepository repository, final Class<?> context) {
    final Set<LabelNode> bounds = Collections.newSetFromMap(new IdentityHashMap<>());
    for (final TryCatchBlockNode t : handlers) {
      bounds.add(t.start);
      bounds.add(t.end);
    }
    // Every trigger this removes is a new C; pop: without one there is nothing to analyse.
    boolean anyTrigger = false;
    for (AbstractInsnNode insn = code.getFirst(); insn != null && !anyTrigger; insn = insn.getNext()) {
      anyTrigger = triggered(insn, repository, context) != null;
    }
    if (!anyTrigger) {
      return false;
    }
    boolean changed = removeRepeated(code, handlers, repository, context);
    for (AbstractInsnNode insn = code.getFirst(); insn != null; ) {
      final AbstractInsnNode next = insn.getNext();
      final String c = triggered(insn, repository, context);
      if (c != null) {
        if (initializedNext(next.getNext(), c, bounds, repository, context)) {
          final AbstractInsnNode after = next.getNext();
          code.remove(insn);
          code.remove(next);
          changed = true;
          insn = after;
          continue;
        }
      }
      insn = next;
    }
    return changed;
  }

  /**
   * Removes the triggers of classes that every path from the entry has initialized already: a forward must
   * analysis of the classes initialized ({@code new C}, a static call of a method C declares, an access to a static
   * field C declares: C is initialized once the instruction completes). Nothing is assumed at a handler's entry.
   */
  private static boolean removeRepeated(final InsnList code, final java.util.List<TryCatchBlockNode> handlers,
      final ClassRepository repository, final Class<?> context) {
    final ResidualGraph g = new ResidualGraph(code, handlers);
    final int n = g.blocks.size();
    if (n == 0) {
      return false;
    }
    final java.util.Map<AbstractInsnNode, String> initializes = new IdentityHashMap<>();
    for (final AbstractInsnNode insn : code) {
      final String c = initializedBy(insn, repository, context);
      if (c != null) {
        initializes.put(insn, c);
      }
    }
    if (initializes.isEmpty()) {
      return false;
    }
    final java.util.List<Set<String>> in = g.<String>mustHold((insn, out) -> {
      final String c = initializes.get(insn);
      if (c != null) {
        out.add(c);
      }
    });
    boolean removed = false;
    for (int b = 0; b < n; b++) {
      if (in.get(b) == null) {
        continue;
      }
      final Set<String> done = new java.util.HashSet<>(in.get(b));
      for (final AbstractInsnNode insn : g.blocks.get(b)) {
        final String c = initializes.get(insn);
        if (c != null && done.contains(c) && c.equals(triggered(insn, repository, context))) {
          // A trigger of a class initialized on every path here: allocating an unused object, or reading a plain
          // static field for nothing, does nothing else.
          code.remove(insn.getNext());
          code.remove(insn);
          removed = true;
          continue;
        }
        if (c != null) {
          done.add(c);
        }
      }
    }
    return removed;
  }

  /**
   * The class {@code insn} is the trigger of, or null: the first of {@code new C; pop}, or of
   * {@code getstatic C.f; pop} for a non-{@code volatile} field f that C declares (the form for interfaces and
   * abstract classes). Neither has any other effect; a {@code volatile} read would also be an acquire.
   */
  private static String triggered(final AbstractInsnNode insn, final ClassRepository repository,
      final Class<?> context) {
    final AbstractInsnNode next = insn.getNext();
    if (next == null) {
      return null;
    }
    if (insn.getOpcode() == NEW) {
      return next.getOpcode() == POP ? ((TypeInsnNode) insn).desc : null;
    }
    if (insn.getOpcode() != GETSTATIC || next.getOpcode() != (((FieldInsnNode) insn).desc.matches("[JD]") ? POP2
        : POP)) {
      return null;
    }
    final FieldInsnNode f = (FieldInsnNode) insn;
    final Class<?> owner = repository.classFor(f.owner, context);
    final Field field = owner == null ? null : repository.resolveField(owner, f.name);
    return field != null && field.getDeclaringClass() == owner
        && !java.lang.reflect.Modifier.isVolatile(field.getModifiers()) ? f.owner : null;
  }

  /** The class whose initialization {@code insn} triggers (if not done yet) before it completes, or null. */
  private static String initializedBy(final AbstractInsnNode insn, final ClassRepository repository,
      final Class<?> context) {
    final int op = insn.getOpcode();
    if (op == NEW) {
      return ((TypeInsnNode) insn).desc;
    }
    if (insn instanceof MethodInsnNode m && op == INVOKESTATIC) {
      final Class<?> owner = repository.classFor(m.owner, context);
      final ClassRepository.ResolvedMethod r = owner == null ? null : repository.resolve(owner, m.name, m.desc);
      return r != null && r.declaring() == owner ? m.owner : null;
    }
    if (insn instanceof FieldInsnNode f && (op == GETSTATIC || op == PUTSTATIC)) {
      final Class<?> owner = repository.classFor(f.owner, context);
      final Field field = owner == null ? null : repository.resolveField(owner, f.name);
      return field != null && field.getDeclaringClass() == owner ? f.owner : null;
    }
    return null;
  }

  /**
   * Whether loading constant {@code cst} has no effect and cannot fail: a number or a string. A class literal or
   * method type is resolved (loading classes), a method handle resolves the member it names (which may fail with a
   * {@link LinkageError}), and a dynamic constant runs its bootstrap method.
   */
  private static boolean plainConstant(final Object cst) {
    return cst instanceof Number || cst instanceof String;
  }

  private static boolean initializedNext(final AbstractInsnNode from, final String c, final Set<LabelNode> bounds,
      final ClassRepository repository, final Class<?> context) {
    for (AbstractInsnNode insn = from; insn != null; insn = insn.getNext()) {
      if (insn instanceof LabelNode l && bounds.contains(l)) {
        return false;
      }
      final int op = insn.getOpcode();
      if (op < 0 || op >= ILOAD && op <= ALOAD || op >= ACONST_NULL && op <= SIPUSH
          || op == LDC && plainConstant(((LdcInsnNode) insn).cst)) {
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
