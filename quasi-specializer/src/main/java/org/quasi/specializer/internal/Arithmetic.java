package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.quasi.specializer.internal.Value.Known;

/**
 * Folds arithmetic, logic, conversion and comparison instructions on known operands with exactly the JVM's semantics
 * (JVMS 6.5): two's-complement overflow, shift distances masked, IEEE 754 for floats, NaN-aware comparisons,
 * saturating float-to-int conversions. Integer division and remainder by zero are never folded: they are left in the
 * residual code so that the ArithmeticException is thrown at run time at the same point.
 */
final class Arithmetic {
  private Arithmetic() {
  }

  /** Returns the result of the binary instruction on known operands, or null when it must stay residual. */
  static Known binary(final int op, final Known a, final Known b) {
    switch (op) {
      case IADD: return Known.ofInt(a.asInt() + b.asInt());
      case ISUB: return Known.ofInt(a.asInt() - b.asInt());
      case IMUL: return Known.ofInt(a.asInt() * b.asInt());
      case IDIV: return b.asInt() == 0 ? null : Known.ofInt(a.asInt() / b.asInt());
      case IREM: return b.asInt() == 0 ? null : Known.ofInt(a.asInt() % b.asInt());
      case IAND: return Known.ofInt(a.asInt() & b.asInt());
      case IOR: return Known.ofInt(a.asInt() | b.asInt());
      case IXOR: return Known.ofInt(a.asInt() ^ b.asInt());
      case ISHL: return Known.ofInt(a.asInt() << b.asInt());
      case ISHR: return Known.ofInt(a.asInt() >> b.asInt());
      case IUSHR: return Known.ofInt(a.asInt() >>> b.asInt());
      case LADD: return Known.ofLong(a.asLong() + b.asLong());
      case LSUB: return Known.ofLong(a.asLong() - b.asLong());
      case LMUL: return Known.ofLong(a.asLong() * b.asLong());
      case LDIV: return b.asLong() == 0 ? null : Known.ofLong(a.asLong() / b.asLong());
      case LREM: return b.asLong() == 0 ? null : Known.ofLong(a.asLong() % b.asLong());
      case LAND: return Known.ofLong(a.asLong() & b.asLong());
      case LOR: return Known.ofLong(a.asLong() | b.asLong());
      case LXOR: return Known.ofLong(a.asLong() ^ b.asLong());
      case LSHL: return Known.ofLong(a.asLong() << b.asInt());
      case LSHR: return Known.ofLong(a.asLong() >> b.asInt());
      case LUSHR: return Known.ofLong(a.asLong() >>> b.asInt());
      case FADD: return Known.ofFloat(a.asFloat() + b.asFloat());
      case FSUB: return Known.ofFloat(a.asFloat() - b.asFloat());
      case FMUL: return Known.ofFloat(a.asFloat() * b.asFloat());
      case FDIV: return Known.ofFloat(a.asFloat() / b.asFloat());
      case FREM: return Known.ofFloat(a.asFloat() % b.asFloat());
      case DADD: return Known.ofDouble(a.asDouble() + b.asDouble());
      case DSUB: return Known.ofDouble(a.asDouble() - b.asDouble());
      case DMUL: return Known.ofDouble(a.asDouble() * b.asDouble());
      case DDIV: return Known.ofDouble(a.asDouble() / b.asDouble());
      case DREM: return Known.ofDouble(a.asDouble() % b.asDouble());
      case LCMP: return Known.ofInt(Long.compare(a.asLong(), b.asLong()));
      case FCMPL: return Known.ofInt(fcmp(a.asFloat(), b.asFloat(), -1));
      case FCMPG: return Known.ofInt(fcmp(a.asFloat(), b.asFloat(), 1));
      case DCMPL: return Known.ofInt(dcmp(a.asDouble(), b.asDouble(), -1));
      case DCMPG: return Known.ofInt(dcmp(a.asDouble(), b.asDouble(), 1));
      default: throw new IllegalArgumentException("not a binary operator: " + op);
    }
  }

  private static int fcmp(final float a, final float b, final int nan) {
    if (Float.isNaN(a) || Float.isNaN(b)) {
      return nan;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  private static int dcmp(final double a, final double b, final int nan) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      return nan;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /**
   * Applies the algebraic identities of two's-complement integer arithmetic when one operand is known: {@code x+0},
   * {@code x*1}, {@code x*0}, {@code x&-1}, {@code x|0}, {@code x^0}, {@code x<<0}, {@code x/1}, {@code x%1}...
   * Returns the value of the result (possibly the unknown operand itself), or null when no identity applies. Float
   * and double arithmetic has none that holds for every operand (-0.0, NaN), so it is left alone.
   */
  static Value identity(final int op, final Value a, final Value b) {
    final Known ka = a instanceof Known k ? k : null;
    final Known kb = b instanceof Known k ? k : null;
    if (ka == null == (kb == null)) {
      return null;
    }
    final boolean isLong = resultKind(op) == Value.Kind.LONG;
    switch (op) {
      case IADD, LADD, IOR, LOR, IXOR, LXOR:
        return isZero(ka) ? b : isZero(kb) ? a : null;
      case ISUB, LSUB:
        return isZero(kb) ? a : null;
      case IMUL, LMUL:
        if (isZero(ka) || isZero(kb)) {
          return isLong ? Known.ofLong(0) : Known.ofInt(0);
        }
        return isOne(ka) ? b : isOne(kb) ? a : null;
      case IAND, LAND:
        if (isZero(ka) || isZero(kb)) {
          return isLong ? Known.ofLong(0) : Known.ofInt(0);
        }
        return isMinusOne(ka) ? b : isMinusOne(kb) ? a : null;
      case IDIV, LDIV:
        return isOne(kb) ? a : null;
      case IREM, LREM:
        return isOne(kb) ? (isLong ? Known.ofLong(0) : Known.ofInt(0)) : null;
      case ISHL, ISHR, IUSHR:
        return kb != null && (kb.asInt() & 31) == 0 ? a : null;
      case LSHL, LSHR, LUSHR:
        return kb != null && (kb.asInt() & 63) == 0 ? a : null;
      default:
        return null;
    }
  }

  private static boolean isZero(final Known k) {
    return k != null && ((Number) k.value()).longValue() == 0;
  }

  private static boolean isOne(final Known k) {
    return k != null && ((Number) k.value()).longValue() == 1;
  }

  private static boolean isMinusOne(final Known k) {
    return k != null && ((Number) k.value()).longValue() == -1;
  }

  /** Returns the result of a unary instruction (negation or conversion) on a known operand. */
  static Known unary(final int op, final Known a) {
    switch (op) {
      case INEG: return Known.ofInt(-a.asInt());
      case LNEG: return Known.ofLong(-a.asLong());
      case FNEG: return Known.ofFloat(-a.asFloat());
      case DNEG: return Known.ofDouble(-a.asDouble());
      case I2L: return Known.ofLong(a.asInt());
      case I2F: return Known.ofFloat(a.asInt());
      case I2D: return Known.ofDouble(a.asInt());
      case L2I: return Known.ofInt((int) a.asLong());
      case L2F: return Known.ofFloat(a.asLong());
      case L2D: return Known.ofDouble(a.asLong());
      case F2I: return Known.ofInt((int) a.asFloat());
      case F2L: return Known.ofLong((long) a.asFloat());
      case F2D: return Known.ofDouble(a.asFloat());
      case D2I: return Known.ofInt((int) a.asDouble());
      case D2L: return Known.ofLong((long) a.asDouble());
      case D2F: return Known.ofFloat((float) a.asDouble());
      case I2B: return Known.ofInt((byte) a.asInt());
      case I2C: return Known.ofInt((char) a.asInt());
      case I2S: return Known.ofInt((short) a.asInt());
      default: throw new IllegalArgumentException("not a unary operator: " + op);
    }
  }

  /** Returns whether a conditional jump on known operands is taken ({@code b} is null for one-operand forms). */
  static boolean condition(final int op, final Known a, final Known b) {
    return switch (op) {
      case IFEQ -> a.asInt() == 0;
      case IFNE -> a.asInt() != 0;
      case IFLT -> a.asInt() < 0;
      case IFGE -> a.asInt() >= 0;
      case IFGT -> a.asInt() > 0;
      case IFLE -> a.asInt() <= 0;
      case IF_ICMPEQ -> a.asInt() == b.asInt();
      case IF_ICMPNE -> a.asInt() != b.asInt();
      case IF_ICMPLT -> a.asInt() < b.asInt();
      case IF_ICMPGE -> a.asInt() >= b.asInt();
      case IF_ICMPGT -> a.asInt() > b.asInt();
      case IF_ICMPLE -> a.asInt() <= b.asInt();
      case IF_ACMPEQ -> a.value() == b.value();
      case IF_ACMPNE -> a.value() != b.value();
      case IFNULL -> a.value() == null;
      case IFNONNULL -> a.value() != null;
      default -> throw new IllegalArgumentException("not a conditional jump: " + op);
    };
  }

  /** Returns the kind of the result of a unary or binary arithmetic, conversion or comparison opcode. */
  static Value.Kind resultKind(final int op) {
    if (op >= IADD && op <= DNEG) {
      return switch ((op - IADD) % 4) {
        case 0 -> Value.Kind.INT;
        case 1 -> Value.Kind.LONG;
        case 2 -> Value.Kind.FLOAT;
        default -> Value.Kind.DOUBLE;
      };
    }
    if (op >= ISHL && op <= LXOR) {
      return (op - ISHL) % 2 == 0 ? Value.Kind.INT : Value.Kind.LONG;
    }
    return switch (op) {
      case I2L, F2L, D2L -> Value.Kind.LONG;
      case I2F, L2F, D2F -> Value.Kind.FLOAT;
      case I2D, L2D, F2D -> Value.Kind.DOUBLE;
      default -> Value.Kind.INT;
    };
  }
}
