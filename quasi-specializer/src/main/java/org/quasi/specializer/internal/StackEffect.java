package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;

/**
 * The operand-stack effect of a straight-line instruction, in slots (a long or double takes two), for the
 * clean-ups that move values between locals and the stack.
 */
final class StackEffect {
  private StackEffect() {
  }

  /**
   * Returns {slots popped, slots pushed} by {@code insn}, or null for a label, a jump, a switch, a return, a store
   * or any instruction after which control may not simply fall through to the next one with the stack as computed.
   */
  static int[] of(final AbstractInsnNode insn) {
    final int op = insn.getOpcode();
    if (op < 0 || op >= ISTORE && op <= ASTORE || op >= IFEQ && op <= RETURN || op == ATHROW || op == IFNULL
        || op == IFNONNULL || op == IINC) {
      return null;
    }
    if (insn instanceof MethodInsnNode m) {
      final int args = Type.getArgumentsAndReturnSizes(m.desc);
      return new int[] {(args >> 2) - (op == INVOKESTATIC ? 1 : 0), args & 3};
    }
    if (insn instanceof InvokeDynamicInsnNode d) {
      final int args = Type.getArgumentsAndReturnSizes(d.desc);
      return new int[] {(args >> 2) - 1, args & 3};
    }
    if (insn instanceof FieldInsnNode f) {
      final int size = Type.getType(f.desc).getSize();
      return switch (op) {
        case GETSTATIC -> new int[] {0, size};
        case PUTSTATIC -> new int[] {size, 0};
        case GETFIELD -> new int[] {1, size};
        default -> new int[] {1 + size, 0};
      };
    }
    if (insn instanceof LdcInsnNode l) {
      final boolean wide = l.cst instanceof Long || l.cst instanceof Double
          || l.cst instanceof ConstantDynamic c && c.getSize() == 2;
      return new int[] {0, wide ? 2 : 1};
    }
    if (insn instanceof MultiANewArrayInsnNode a) {
      return new int[] {a.dims, 1};
    }
    return switch (op) {
      case NOP -> new int[] {0, 0};
      case ACONST_NULL, ICONST_M1, ICONST_0, ICONST_1, ICONST_2, ICONST_3, ICONST_4, ICONST_5, FCONST_0, FCONST_1,
          FCONST_2, BIPUSH, SIPUSH, ILOAD, FLOAD, ALOAD, NEW -> new int[] {0, 1};
      case LCONST_0, LCONST_1, DCONST_0, DCONST_1, LLOAD, DLOAD -> new int[] {0, 2};
      case IALOAD, FALOAD, AALOAD, BALOAD, CALOAD, SALOAD -> new int[] {2, 1};
      case LALOAD, DALOAD -> new int[] {2, 2};
      case IASTORE, FASTORE, AASTORE, BASTORE, CASTORE, SASTORE -> new int[] {3, 0};
      case LASTORE, DASTORE -> new int[] {4, 0};
      case POP -> new int[] {1, 0};
      case POP2 -> new int[] {2, 0};
      case DUP -> new int[] {1, 2};
      case DUP_X1 -> new int[] {2, 3};
      case DUP_X2 -> new int[] {3, 4};
      case DUP2 -> new int[] {2, 4};
      case DUP2_X1 -> new int[] {3, 5};
      case DUP2_X2 -> new int[] {4, 6};
      case SWAP -> new int[] {2, 2};
      case IADD, FADD, ISUB, FSUB, IMUL, FMUL, IDIV, FDIV, IREM, FREM, ISHL, ISHR, IUSHR, IAND, IOR, IXOR, FCMPL,
          FCMPG -> new int[] {2, 1};
      case LADD, DADD, LSUB, DSUB, LMUL, DMUL, LDIV, DDIV, LREM, DREM, LAND, LOR, LXOR -> new int[] {4, 2};
      case LSHL, LSHR, LUSHR -> new int[] {3, 2};
      case LCMP, DCMPL, DCMPG -> new int[] {4, 1};
      case INEG, FNEG, I2F, F2I, I2B, I2C, I2S, ARRAYLENGTH, NEWARRAY, ANEWARRAY, CHECKCAST, INSTANCEOF ->
          new int[] {1, 1};
      case LNEG, DNEG, L2D, D2L -> new int[] {2, 2};
      case I2L, I2D, F2L, F2D -> new int[] {1, 2};
      case L2I, L2F, D2I, D2F -> new int[] {2, 1};
      case MONITORENTER, MONITOREXIT -> new int[] {1, 0};
      default -> null;
    };
  }
}
