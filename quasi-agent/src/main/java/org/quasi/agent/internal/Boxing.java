package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.INVOKESTATIC;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Boxing of a primitive on the operand stack, as the compiler does it ({@code Integer.valueOf} and the like), for
 * woven code that hands values to the runtime as {@code Object}s (shadow mode's entry probe, MemGuard's traps).
 */
public final class Boxing {
  private Boxing() {
  }

  /** Adds to {@code code} the boxing of a value of type {@code t} on the stack; adds nothing for a reference type. */
  public static void box(final InsnList code, final Type t) {
    final String box = switch (t.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      case Type.DOUBLE -> "java/lang/Double";
      default -> null;
    };
    if (box != null) {
      code.add(new MethodInsnNode(INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false));
    }
  }
}
