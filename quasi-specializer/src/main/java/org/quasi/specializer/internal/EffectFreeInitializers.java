package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.GETSTATIC;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.PUTFIELD;
import static org.objectweb.asm.Opcodes.PUTSTATIC;

import java.lang.invoke.MethodHandles;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Static initializers that may run at specialization time instead of at the class's first use, because no program
 * can tell when they ran: they allocate objects of such classes, compute with constants, call their own class's
 * static methods and set their own class's static fields, and nothing else. Such a class is initialized when the
 * specializer meets it, and its static fields then fold like those of any initialized class.
 *
 * <p>Why this is unobservable: the initializer reads no state it did not create (only its own class's statics,
 * which no one else can read before initialization ends), writes no state anyone else can reach (fields of objects
 * it allocated, statics of its own class), cannot throw (no division, array, cast, null-receiver field access, or
 * explicit throw), and terminates (no backward jump, no recursion). Running it earlier therefore gives the same
 * values and the same absence of effects, and every later first use finds the class initialized, as it would have
 * been. What it allocates is reachable only from the class's statics, so object identities are not observable
 * either. Out-of-memory and stack-overflow errors are the exception every allocation in the specializer shares.
 *
 * <p>The signals case needs this: {@code generate} compares a handler with {@code SignalHandler.SIG_IGN} and
 * {@code SIG_DFL}, static fields of an interface that no known object proves initialized (an interface without
 * default methods is not initialized by its implementations), and calls {@code Signals.mask}, a static method of a
 * class whose initializer computes {@code BLOCKABLE} with it.
 *
 * <p>Thread-safe: verdicts are memoized in a {@link ClassValue} (which, unlike a map keyed by class, lets an unused
 * class be unloaded); one class's verdict may be computed twice, alike.
 */
final class EffectFreeInitializers {

  private final ClassRepository repository;
  private final ClassValue<Boolean> verdicts = new ClassValue<>() {
    @Override
    protected Boolean computeValue(final Class<?> c) {
      return new Check().classInit(c);
    }
  };

  EffectFreeInitializers(final ClassRepository repository) {
    this.repository = repository;
  }

  /**
   * Initializes {@code c} now, through {@code lookup}, if its initialization (and every initialization it causes) is
   * effect-free, and returns whether {@code c} is now initialized. JDK classes are not considered (the caller has its
   * own list of those), nor classes the lookup cannot access.
   */
  boolean initializeIfEffectFree(final Class<?> c, final MethodHandles.Lookup lookup) {
    if (c.isArray() || c.isPrimitive() || c.getClassLoader() == null || c.isHidden()) {
      return false;
    }
    if (!verdicts.get(c)) {
      return false;
    }
    try {
      lookup.ensureInitialized(c);
      return true;
    } catch (IllegalAccessException | IllegalArgumentException | LinkageError e) {
      return false;
    }
  }

  /** One verdict: the classes and methods already being checked, so cycles end (as the JVM's initialization does). */
  private final class Check {
    private final Set<Class<?>> classes = new HashSet<>();
    /** Methods on the current call chain (a call back into one of them might not terminate). */
    private final Set<String> inProgress = new HashSet<>();
    /** Methods already found effect-free (a constructor called twice is checked once). */
    private final Set<String> verified = new HashSet<>();

    /** Whether initializing {@code c} (superclass, superinterfaces, then its own initializer) is effect-free. */
    boolean classInit(final Class<?> c) {
      if (c == Object.class || !classes.add(c)) {
        return true; // Object has no effects to speak of; a class in progress is checked further up
      }
      if (c.getClassLoader() == null || c.isHidden() || c.isArray()) {
        return false;
      }
      final Class<?> sup = c.getSuperclass();
      if (sup != null && !classInit(sup)) {
        return false;
      }
      if (!c.isInterface()) {
        // Superinterfaces with default methods are initialized with the class (JVMS 5.5); demand it of all.
        for (final Class<?> i : c.getInterfaces()) {
          if (!classInit(i)) {
            return false;
          }
        }
      }
      final Optional<ClassNode> node = repository.classNode(c);
      if (node.isEmpty()) {
        return false;
      }
      for (final MethodNode m : node.get().methods) {
        if (m.name.equals("<clinit>")) {
          return method(c, node.get(), m, false, true);
        }
      }
      return true;
    }

    /**
     * Whether running {@code m}, declared in {@code self}, is effect-free. In a constructor, fields of {@code this}
     * (local 0, never overwritten) may be read and written; {@code statics}: {@code m} runs inside {@code self}'s
     * own initialization, so it may read and write {@code self}'s static fields (no one else can read them yet).
     */
    private boolean method(final Class<?> self, final ClassNode node, final MethodNode m, final boolean ctor,
        final boolean statics) {
      final String key = node.name + "." + m.name + m.desc + (statics ? " in its initializer" : "");
      if (verified.contains(key)) {
        return true;
      }
      if (!inProgress.add(key)) {
        return false; // recursion might not terminate
      }
      final boolean ok = body(self, node, m, ctor, statics);
      inProgress.remove(key);
      if (ok) {
        verified.add(key);
      }
      return ok;
    }

    private boolean body(final Class<?> self, final ClassNode node, final MethodNode m, final boolean ctor,
        final boolean statics) {
      if (m.instructions.size() == 0 || !m.tryCatchBlocks.isEmpty()) {
        return false;
      }
      final InsnList code = m.instructions;
      for (final AbstractInsnNode i : code) {
        if (i instanceof VarInsnNode v && v.getOpcode() == ASTORE && v.var == 0 && ctor) {
          return false;
        }
      }
      for (final AbstractInsnNode i : code) {
        if (!instruction(self, node, i, ctor, statics, code)) {
          return false;
        }
      }
      return true;
    }

    private boolean instruction(final Class<?> self, final ClassNode node, final AbstractInsnNode i,
        final boolean ctor, final boolean statics, final InsnList code) {
      final int op = i.getOpcode();
      if (op < 0) {
        return true; // labels, line numbers, frames
      }
      if (i instanceof JumpInsnNode j) {
        return op != Opcodes.JSR && code.indexOf(j.label) > code.indexOf(j); // forward only: it terminates
      }
      if (i instanceof FieldInsnNode f) {
        return field(node, f, ctor, statics);
      }
      if (i instanceof MethodInsnNode mi) {
        return call(self, node, mi, statics);
      }
      if (i instanceof TypeInsnNode t) {
        return op == NEW && allocatable(t.desc, self);
      }
      if (i instanceof LdcInsnNode l) {
        return l.cst instanceof Number || l.cst instanceof String;
      }
      return switch (op) {
        case Opcodes.IDIV, Opcodes.LDIV, Opcodes.IREM, Opcodes.LREM, Opcodes.ATHROW, Opcodes.ARRAYLENGTH,
            Opcodes.MONITORENTER, Opcodes.MONITOREXIT, Opcodes.NEWARRAY, Opcodes.RET -> false;
        default -> op <= Opcodes.SIPUSH || op >= Opcodes.ILOAD && op <= Opcodes.ALOAD
            || op >= Opcodes.ISTORE && op <= Opcodes.ASTORE || op >= Opcodes.POP && op <= Opcodes.DCMPG
            || op == Opcodes.TABLESWITCH || op == Opcodes.LOOKUPSWITCH
            || op >= Opcodes.IRETURN && op <= Opcodes.RETURN;
      };
    }

    /** Own statics of the class being initialized; fields of {@code this} in a constructor. */
    private boolean field(final ClassNode node, final FieldInsnNode f, final boolean ctor, final boolean statics) {
      final boolean declared = f.owner.equals(node.name)
          && node.fields.stream().anyMatch(d -> d.name.equals(f.name) && d.desc.equals(f.desc));
      if (!declared) {
        return false;
      }
      return switch (f.getOpcode()) {
        case GETSTATIC, PUTSTATIC -> statics;
        case GETFIELD -> ctor && isLoadOfThis(previous(f));
        case PUTFIELD -> ctor && isSinglePush(previous(f)) && isLoadOfThis(previous(previous(f)));
        default -> false;
      };
    }

    /** Static methods of the class itself; constructors of effect-free classes (Object's included). */
    private boolean call(final Class<?> self, final ClassNode node, final MethodInsnNode mi, final boolean statics) {
      if (mi.getOpcode() == INVOKESTATIC && mi.owner.equals(node.name) && !mi.itf) {
        final MethodNode callee = declared(node, mi.name, mi.desc);
        return callee != null && (callee.access & Opcodes.ACC_STATIC) != 0 && method(self, node, callee, false, statics);
      }
      if (mi.getOpcode() != INVOKESPECIAL || !mi.name.equals("<init>")) {
        return false;
      }
      if (mi.owner.equals("java/lang/Object")) {
        return mi.desc.equals("()V");
      }
      final Class<?> d = repository.classFor(mi.owner, self);
      if (d == null || d.getClassLoader() == null || !classInit(d)) {
        return false;
      }
      final Optional<ClassNode> dn = repository.classNode(d);
      final MethodNode ctor = dn.map(n -> declared(n, "<init>", mi.desc)).orElse(null);
      return ctor != null && method(d, dn.get(), ctor, true, false);
    }

    private boolean allocatable(final String internalName, final Class<?> self) {
      final Class<?> d = repository.classFor(internalName, self);
      return d != null && !d.isInterface() && !java.lang.reflect.Modifier.isAbstract(d.getModifiers())
          && classInit(d);
    }
  }

  private static MethodNode declared(final ClassNode node, final String name, final String desc) {
    for (final MethodNode m : node.methods) {
      if (m.name.equals(name) && m.desc.equals(desc)) {
        return m;
      }
    }
    return null;
  }

  /** The instruction before {@code i} on the only path to it, or null when a label (a jump target) intervenes. */
  private static AbstractInsnNode previous(final AbstractInsnNode i) {
    AbstractInsnNode p = i == null ? null : i.getPrevious();
    while (p != null && p.getOpcode() < 0) {
      if (p instanceof LabelNode) {
        return null;
      }
      p = p.getPrevious();
    }
    return p;
  }

  private static boolean isLoadOfThis(final AbstractInsnNode i) {
    return i instanceof VarInsnNode v && v.getOpcode() == ALOAD && v.var == 0;
  }

  /** An instruction that pushes one value and consumes none (so the value below it is untouched). */
  private static boolean isSinglePush(final AbstractInsnNode i) {
    if (i == null) {
      return false;
    }
    final int op = i.getOpcode();
    return op >= Opcodes.ACONST_NULL && op <= Opcodes.SIPUSH || op == Opcodes.LDC
        || op >= Opcodes.ILOAD && op <= Opcodes.ALOAD;
  }
}
