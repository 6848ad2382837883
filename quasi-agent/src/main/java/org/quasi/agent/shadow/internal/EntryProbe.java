package org.quasi.agent.shadow.internal;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Puts shadow mode's probe at the entry of one method:
 * <pre>{@code
 * if (ShadowHook.sample(ID)) {
 *   ShadowHook.enter(ID, new Object[] {this, arg1, ...}, MethodHandles.lookup());
 * }
 * // the method's own code, unchanged
 * }</pre>
 * The unsampled path costs a static call; the method's own code, locals and frames are left as they were. The branch
 * target gets the method's entry frame, unless the method's code already starts with a frame (a loop at its first
 * instruction), which then serves the branch too.
 */
final class EntryProbe {
  static final String HOOK = "org/quasi/agent/shadow/ShadowHook";
  private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";

  private EntryProbe() {
  }

  /**
   * Inserts the probe with method number {@code id} into {@code m} of class {@code owner} (internal name).
   * {@code frames} says whether the class file has stack map frames (version 50 or later) read expanded
   * ({@code ClassReader.EXPAND_FRAMES}).
   */
  static void insert(final String owner, final MethodNode m, final int id, final boolean frames) {
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
    if (frames && !startsWithFrame(m)) {
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
