package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * javac's enum-switch tables: {@code static final int[] $SwitchMap$pkg$E} fields of a synthetic holder class, filled
 * by its static initializer from {@code E.values()} and {@code ordinal()}, read by {@code switch (e)} as
 * {@code $SwitchMap$pkg$E[e.ordinal()]}. Folding such a read on a known constant folds the whole switch.
 *
 * <p>Why an element may fold (the proof, checked on the holder's class file): the holder is synthetic, has no method
 * but its static initializer, and that initializer writes no field but its own switch maps and calls nothing but
 * {@code values()} and {@code ordinal()} of enums; the field is {@code static final synthetic}, so the array is
 * reachable only through it, and Java source cannot name a synthetic member, so no compiled code but the holder's
 * initializer writes its elements. (Hand-written bytecode or reflection could; every folded element is recorded as an
 * array-element {@link org.quasi.specializer.Dependency}, so guards can watch it like any quasi-invariant.)
 *
 * <p>Why the holder may be initialized now: a holder is read only once it is initialized — proven as for any class,
 * or, when every enum its initializer reads is proven initialized, by initializing it through the caller's lookup,
 * which then runs only {@code values()} clones and {@code ordinal()} reads: no effect anyone can observe.
 */
final class SwitchMaps {
  /**
   * Per holder class: whether it has the shape above (keyed by the holder itself, in its own {@link ClassValue}
   * entry, so that the holder can be unloaded).
   */
  private static final ClassValue<Map<Class<?>, Optional<java.util.List<String>>>> HOLDERS = new ClassValue<>() {
    @Override
    protected Map<Class<?>, Optional<java.util.List<String>>> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>(1);
    }
  };

  private SwitchMaps() {
  }

  /** Returns whether {@code field} is a javac switch map in a holder of the proven shape. */
  static boolean isSwitchMap(final ClassRepository repository, final Field field) {
    final int m = field.getModifiers();
    return field.getName().startsWith("$SwitchMap$") && Modifier.isStatic(m) && Modifier.isFinal(m)
        && field.isSynthetic() && field.getType() == int[].class && field.getDeclaringClass().isSynthetic()
        && enumsRead(repository, field.getDeclaringClass()) != null;
  }

  /**
   * Makes sure the holder of switch map {@code field} is initialized, initializing it when that is unobservable.
   * Returns false when it cannot be proven or done (the read then stays residual).
   */
  static boolean ensureInitialized(final PartialEvaluator ev, final Field field) {
    final Class<?> holder = field.getDeclaringClass();
    if (ev.initialized(holder)) {
      return true;
    }
    final java.util.List<String> enums = enumsRead(ev.session.repository, holder);
    for (final String e : enums) {
      final Class<?> c = ev.session.repository.classFor(e, holder);
      if (c == null || !ev.initialized(c)) {
        return false;
      }
    }
    try {
      ev.session.lookup.ensureInitialized(holder);
    } catch (IllegalAccessException | IllegalArgumentException e) {
      return false;
    }
    ev.session.initialized.add(holder);
    return true;
  }

  /** The enums the holder's initializer reads, or null when the holder does not have the proven shape. */
  private static java.util.List<String> enumsRead(final ClassRepository repository, final Class<?> holder) {
    return HOLDERS.get(holder).computeIfAbsent(holder, h -> Optional.ofNullable(shape(repository, h))).orElse(null);
  }

  private static java.util.List<String> shape(final ClassRepository repository, final Class<?> holder) {
    final Optional<ClassNode> cn = repository.classNode(holder);
    if (cn.isEmpty() || (cn.get().access & ACC_SYNTHETIC) == 0) {
      return null;
    }
    for (final FieldNode f : cn.get().fields) {
      if (!f.name.startsWith("$SwitchMap$") || (f.access & (ACC_STATIC | ACC_FINAL | ACC_SYNTHETIC))
          != (ACC_STATIC | ACC_FINAL | ACC_SYNTHETIC)) {
        return null;
      }
    }
    final java.util.List<String> enums = new java.util.ArrayList<>();
    for (final MethodNode m : cn.get().methods) {
      if (!m.name.equals("<clinit>")) {
        return null;
      }
      for (final AbstractInsnNode insn : m.instructions) {
        final int op = insn.getOpcode();
        if (insn instanceof FieldInsnNode fi) {
          if (op == PUTSTATIC && !fi.owner.equals(cn.get().name) || op == PUTFIELD || op == GETFIELD) {
            return null;
          }
          if (op == GETSTATIC && !fi.owner.equals(cn.get().name) && !enums.contains(fi.owner)) {
            enums.add(fi.owner);
          }
        } else if (insn instanceof MethodInsnNode mi) {
          final boolean values = mi.getOpcode() == INVOKESTATIC && mi.name.equals("values")
              && Type.getReturnType(mi.desc).getSort() == Type.ARRAY;
          final boolean ordinal = mi.name.equals("ordinal") && mi.desc.equals("()I");
          if (!values && !ordinal) {
            return null;
          }
          if (values && !enums.contains(mi.owner)) {
            enums.add(mi.owner);
          }
        } else if (op == INVOKEDYNAMIC) {
          return null;
        }
      }
    }
    return enums;
  }
}
