package org.quasi.agent.shadow.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts shadow mode's probe at the entry of one method. In a class file of Java 7 or later (version 51) the probe is
 * one {@code invokedynamic} on the method's arguments:
 * <pre>{@code
 * ShadowHook.probe:ID(this, arg1, ...)   // a MutableCallSite: sample, and shadow when sampled; a no-op once done
 * // the method's own code, unchanged
 * }</pre>
 * Its call site is the method's ({@code ShadowRun#probeSite}): while the method collects its samples it counts the
 * invocation and, when sampled, shadows it; once the method was shadowed as often as allowed, its target is a no-op,
 * which the JIT compiles to nothing. The method's code grows by the argument loads and the five bytes of the
 * instruction, with no branch and no frame.
 *
 * <p>A Java 6 class file (version 50) cannot have {@code invokedynamic}; its probe is a static call and a branch:
 * <pre>{@code
 * if (ShadowHook.sample(ID)) {
 *   ShadowHook.enter(ID, new Object[] {this, arg1, ...}, MethodHandles.lookup());
 * }
 * }</pre>
 * which costs the call, an increment and a compare at every entry, for as long as the program runs. The branch target
 * gets the method's entry frame, unless the method's code already starts with a frame (a loop at its first
 * instruction), which then serves the branch too.
 */
final class EntryProbe {
  static final String HOOK = "org/quasi/agent/shadow/ShadowHook";
  private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
  /** The probe's name, as its call site's {@code toString} and stack traces of the bootstrap show it. */
  static final String PROBE = "quasiShadowProbe";
  private static final Handle BOOTSTRAP = new Handle(Opcodes.H_INVOKESTATIC, HOOK, "probe",
      "(L" + LOOKUP + ";Ljava/lang/String;Ljava/lang/invoke/MethodType;I)Ljava/lang/invoke/CallSite;", false);

  private EntryProbe() {
  }

  /**
   * Inserts the probe with method number {@code id} into {@code m} of class {@code owner} (internal name) of class
   * file version {@code version} (its major version in the low 16 bits); a Java 6 class file's frames must have been
   * read expanded ({@code ClassReader.EXPAND_FRAMES}).
   */
  static void insert(final String owner, final MethodNode m, final int id, final int version) {
    if ((version & 0xFFFF) >= Opcodes.V1_7) {
      insertDynamic(owner, m, id);
    } else {
      insertStatic(owner, m, id);
    }
  }

  private static void insertDynamic(final String owner, final MethodNode m, final int id) {
    final boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    final Type[] params = Type.getArgumentTypes(m.desc);
    final InsnList p = new InsnList();
    int slot = 0;
    final StringBuilder desc = new StringBuilder("(");
    if (instance) {
      p.add(new VarInsnNode(Opcodes.ALOAD, slot++));
      desc.append('L').append(owner).append(';');
    }
    for (final Type t : params) {
      p.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
      desc.append(t.getDescriptor());
      slot += t.getSize();
    }
    p.add(new InvokeDynamicInsnNode(PROBE, desc.append(")V").toString(), BOOTSTRAP, id));
    m.instructions.insert(p);
    m.maxStack = Math.max(m.maxStack, slot);
  }

  private static void insertStatic(final String owner, final MethodNode m, final int id) {
    final boolean instance = (m.access & Opcodes.ACC_STATIC) == 0;
    final Type[] params = Type.getArgumentTypes(m.desc);
    final InsnList p = new InsnList();
    final LabelNode body = new LabelNode();
    p.add(new LdcInsnNode(id));
    p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, "sample", "(I)Z", false));
    p.add(new JumpInsnNode(Opcodes.IFEQ, body));
    p.add(new LdcInsnNode(id));
    p.add(new LdcInsnNode(params.length + (instance ? 1 : 0)));
    p.add(new TypeInsnNode(Opcodes.ANEWARRAY, "java/lang/Object"));
    int slot = 0;
    int index = 0;
    if (instance) {
      p.add(new InsnNode(Opcodes.DUP));
      p.add(new LdcInsnNode(index++));
      p.add(new VarInsnNode(Opcodes.ALOAD, slot++));
      p.add(new InsnNode(Opcodes.AASTORE));
    }
    for (final Type t : params) {
      p.add(new InsnNode(Opcodes.DUP));
      p.add(new LdcInsnNode(index++));
      p.add(new VarInsnNode(t.getOpcode(Opcodes.ILOAD), slot));
      box(p, t);
      p.add(new InsnNode(Opcodes.AASTORE));
      slot += t.getSize();
    }
    p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()L" + LOOKUP + ";",
        false));
    p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, HOOK, "enter", "(I[Ljava/lang/Object;L" + LOOKUP + ";)V",
        false));
    p.add(body);
    if (!startsWithFrame(m)) {
      p.add(entryFrame(owner, instance, params));
    }
    m.instructions.insert(p);
    // id, array, array, index, value (two slots for a long or double), then the lookup beside id and array.
    m.maxStack = Math.max(m.maxStack, 6);
  }

  private static boolean startsWithFrame(final MethodNode m) {
    for (AbstractInsnNode n = m.instructions.getFirst(); n != null; n = n.getNext()) {
      if (n instanceof FrameNode) {
        return true;
      }
      if (n.getOpcode() >= 0) {
        return false;
      }
    }
    return false;
  }

  private static FrameNode entryFrame(final String owner, final boolean instance, final Type[] params) {
    final Object[] locals = new Object[params.length + (instance ? 1 : 0)];
    int i = 0;
    if (instance) {
      locals[i++] = owner;
    }
    for (final Type t : params) {
      locals[i++] = switch (t.getSort()) {
        case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
        case Type.FLOAT -> Opcodes.FLOAT;
        case Type.LONG -> Opcodes.LONG;
        case Type.DOUBLE -> Opcodes.DOUBLE;
        case Type.ARRAY -> t.getDescriptor();
        default -> t.getInternalName();
      };
    }
    return new FrameNode(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
  }

  private static void box(final InsnList p, final Type t) {
    final String box = switch (t.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.FLOAT -> "java/lang/Float";
      case Type.LONG -> "java/lang/Long";
      case Type.DOUBLE -> "java/lang/Double";
      default -> null;
    };
    if (box != null) {
      p.add(new MethodInsnNode(Opcodes.INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";",
          false));
    }
  }
}
