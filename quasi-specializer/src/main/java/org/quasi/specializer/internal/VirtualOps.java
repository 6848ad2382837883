package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.quasi.specializer.internal.Value.Kind;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Uninit;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * Escape analysis, the folding side: creates {@link Virtual} values (allocations with a {@link ConstructorShape},
 * boxes of run-time primitives, small arrays of known length) and folds what the code does to them without letting
 * them escape: field reads, unboxing, element reads and stores at known indexes, {@code arraylength},
 * {@code checkcast}, {@code instanceof}, null tests and identity comparisons (a virtual object is never null and,
 * having escaped nowhere, is identical to nothing but itself). Everything else materializes it
 * ({@link Materializer}).
 *
 * @implNote Boxes are virtual for {@code Integer}, {@code Long}, {@code Float} and {@code Double} (whose
 *     {@code valueOf} takes exactly the value the box holds); a store of a run-time reference into a virtual array
 *     whose element type is not {@code Object} materializes the array (the store's type check is the residual
 *     code's to make); stores into a virtual object's fields after its constructor materialize it.
 */
final class VirtualOps {
  /** Arrays longer than this are not virtual (their materialization would be long). */
  static final int MAX_ARRAY = 16;
  private static final Set<String> BOXES = Set.of("java/lang/Integer", "java/lang/Long", "java/lang/Float",
      "java/lang/Double");

  private final PartialEvaluator ev;
  private final ConstructorShape constructors;

  VirtualOps(final PartialEvaluator ev) {
    this.ev = ev;
    this.constructors = new ConstructorShape(ev);
  }

  /**
   * Runs constructor {@code m} on uninitialized {@code u} virtually when its shape allows: replaces {@code u} by the
   * virtual object in {@code s} and returns true; otherwise returns false and nothing changed.
   */
  boolean construct(final State s, final Frame f, final MethodInsnNode m, final Uninit u, final Value[] args) {
    if (!m.owner.equals(u.type()) || args.length > Virtual.MAX_PARTS / 2) {
      return false;
    }
    final Class<?> c = ev.session.repository.classFor(u.type(), f.method.declaringClass);
    final Value[] arguments = new Value[args.length - 1];
    for (int i = 1; i < args.length; i++) {
      // A virtual argument would end up in a field: it escapes into the new object.
      arguments[i - 1] = args[i] instanceof Virtual v ? ev.materializer.materialize(v) : args[i];
      if (arguments[i - 1] instanceof Uninit) {
        return false;
      }
    }
    final Map<Field, Value> fields = constructors.fields(c, m.desc, arguments);
    if (fields == null) {
      return false;
    }
    s.replace(u, Virtual.object(c, m, arguments, fields));
    return true;
  }

  /** Returns a virtual box for {@code Integer.valueOf(i)}-like calls on a run-time value, or null. */
  Value box(final MethodInsnNode m, final Value[] args) {
    if (m.getOpcode() != INVOKESTATIC || !m.name.equals("valueOf") || !BOXES.contains(m.owner)
        || args.length != 1 || !(args[0] instanceof Unknown)
        || !m.desc.equals("(" + primitive(m.owner) + ")L" + m.owner + ";")) {
      return null;
    }
    return Virtual.box(ev.session.repository.classFor(m.owner, Object.class), m, args[0]);
  }

  /** Returns the primitive a virtual box's {@code intValue()}-like call returns, or null. */
  Value unbox(final MethodInsnNode m, final Value[] args) {
    if (m.getOpcode() != INVOKEVIRTUAL || args.length != 1 || !(args[0] instanceof Virtual v)
        || v.shape != Virtual.Shape.BOX || !m.owner.equals(Type.getInternalName(v.type))) {
      return null;
    }
    final Type to = Type.getReturnType(m.desc);
    if (!m.desc.startsWith("()") || !m.name.equals(to.getClassName() + "Value")
        || !List.of(Type.INT, Type.LONG, Type.FLOAT, Type.DOUBLE, Type.BYTE, Type.SHORT).contains(to.getSort())) {
      return null;
    }
    // Number's xxxValue() of these boxes is the primitive conversion of the value (JLS 5.1.2, 5.1.3).
    Value x = v.arguments[0];
    final Type from = Type.getType(primitive(m.owner));
    final int sort = to.getSort() == Type.BYTE || to.getSort() == Type.SHORT ? Type.INT : to.getSort();
    if (from.getSort() != sort) {
      x = convert(x, CONVERSIONS[index(from.getSort())][index(sort)]);
    }
    if (to.getSort() != sort) {
      x = convert(x, to.getSort() == Type.BYTE ? I2B : I2S);
    }
    return x;
  }

  /** Conversion opcodes between int, long, float and double, by {@link #index}. */
  private static final int[][] CONVERSIONS = {
    {NOP, I2L, I2F, I2D}, {L2I, NOP, L2F, L2D}, {F2I, F2L, NOP, F2D}, {D2I, D2L, D2F, NOP}};

  private static int index(final int sort) {
    return switch (sort) {
      case Type.INT -> 0;
      case Type.LONG -> 1;
      case Type.FLOAT -> 2;
      default -> 3;
    };
  }

  private Value convert(final Value v, final int op) {
    return v instanceof Known k ? Arithmetic.unary(op, k) : ev.emit(op, new Value[] {v}, Arithmetic.resultKind(op));
  }

  private static String primitive(final String box) {
    return switch (box) {
      case "java/lang/Integer" -> "I";
      case "java/lang/Long" -> "J";
      case "java/lang/Float" -> "F";
      case "java/lang/Double" -> "D";
      default -> "?";
    };
  }

  /** Returns the value of field {@code insn} of virtual object {@code v}, or null when it cannot be folded. */
  Value getField(final Frame f, final Virtual v, final FieldInsnNode insn) {
    if (v.shape != Virtual.Shape.OBJECT) {
      return null;
    }
    final Class<?> owner = ev.session.repository.classFor(insn.owner, f.method.declaringClass);
    final Field field = owner == null ? null : ev.session.repository.resolveField(owner, insn.name);
    if (field == null || java.lang.reflect.Modifier.isStatic(field.getModifiers())
        || !field.getDeclaringClass().isAssignableFrom(v.type)) {
      return null;
    }
    ev.counters.objectFolds++;
    return narrow(v.field(field), Type.getType(field.getType()));
  }

  /**
   * Returns a virtual array for {@code newarray}/{@code anewarray} of known small length, or null (then the
   * allocation is emitted: a negative length throws there).
   */
  Value newArray(final Frame f, final AbstractInsnNode insn, final Value length) {
    if (!(length instanceof Known k) || k.asInt() < 0 || k.asInt() > MAX_ARRAY) {
      return null;
    }
    final Class<?> type;
    if (insn instanceof IntInsnNode n) {
      type = switch (n.operand) {
        case T_BOOLEAN -> boolean[].class;
        case T_CHAR -> char[].class;
        case T_FLOAT -> float[].class;
        case T_DOUBLE -> double[].class;
        case T_BYTE -> byte[].class;
        case T_SHORT -> short[].class;
        case T_INT -> int[].class;
        default -> long[].class;
      };
    } else {
      final Class<?> component = ev.session.repository.classFor(((TypeInsnNode) insn).desc,
          f.method.declaringClass);
      if (component == null) {
        return null;
      }
      type = component.arrayType();
    }
    final Value[] elements = new Value[k.asInt()];
    java.util.Arrays.fill(elements, Virtual.defaultValue(Type.getType(type.getComponentType())));
    return Virtual.array(type, insn, elements);
  }

  /** Folds an element read of a virtual array at a known index in bounds; returns null otherwise. */
  Value arrayLoad(final Value[] operands) {
    if (operands[0] instanceof Virtual v && v.shape == Virtual.Shape.ARRAY && operands[1] instanceof Known i
        && i.asInt() >= 0 && i.asInt() < v.elements.length) {
      ev.counters.objectFolds++;
      return v.elements[i.asInt()];
    }
    return null;
  }

  /**
   * Folds an element store into a virtual array at a known index in bounds (the array is replaced by its updated
   * copy in {@code s}); returns false when the store must be emitted (the array then escapes through it).
   */
  boolean arrayStore(final State s, final Value[] operands) {
    if (!(operands[0] instanceof Virtual v) || v.shape != Virtual.Shape.ARRAY || !(operands[1] instanceof Known i)
        || i.asInt() < 0 || i.asInt() >= v.elements.length) {
      return false;
    }
    final Class<?> component = v.type.getComponentType();
    Value value = operands[2];
    if (!component.isPrimitive()) {
      if (value instanceof Virtual w) {
        if (!component.isAssignableFrom(w.type)) {
          return false;
        }
        value = ev.materializer.materialize(w);
      } else if (value instanceof Known k) {
        if (k.value() != null && !component.isInstance(k.value())) {
          return false;
        }
      } else if (component != Object.class) {
        return false;
      }
    }
    final Virtual updated = v.withElement(i.asInt(), narrow(value, Type.getType(component)));
    s.replace(v, updated);
    ev.counters.objectFolds++;
    return true;
  }

  /** Folds {@code checkcast} on a virtual value that passes it; returns false when it must be emitted. */
  boolean checkcastPasses(final Frame f, final Virtual v, final TypeInsnNode insn) {
    final Class<?> c = ev.session.repository.classFor(insn.desc, f.method.declaringClass);
    return c != null && c.isAssignableFrom(v.type);
  }

  /** Folds {@code instanceof} on a virtual value; returns null when the class cannot be resolved. */
  Known instanceOf(final Frame f, final Virtual v, final TypeInsnNode insn) {
    final Class<?> c = ev.session.repository.classFor(insn.desc, f.method.declaringClass);
    if (c == null || v.shape == Virtual.Shape.LAMBDA && !c.isAssignableFrom(v.type)) {
      // A lambda's class may implement more than its interface (markers, Serializable).
      return null;
    }
    return Known.ofInt(c.isAssignableFrom(v.type) ? 1 : 0);
  }

  /**
   * Decides a reference test with a virtual operand ({@code ifnull}, {@code ifnonnull}, {@code if_acmpeq},
   * {@code if_acmpne}): returns whether the branch is taken, or null when no operand is virtual.
   */
  static Boolean referenceTest(final int opcode, final Value[] operands) {
    if (!(operands[0] instanceof Virtual) && !(operands.length > 1 && operands[1] instanceof Virtual)) {
      return null;
    }
    if ((opcode == IF_ACMPEQ || opcode == IF_ACMPNE) && operands[0] != operands[1]
        && (isBox(operands[0]) || isBox(operands[1]))) {
      // valueOf may return a cached instance: a box may be identical to another box or to a known object.
      return null;
    }
    return switch (opcode) {
      case IFNULL -> false;
      case IFNONNULL -> true;
      case IF_ACMPEQ -> operands[0] == operands[1];
      case IF_ACMPNE -> operands[0] != operands[1];
      default -> null;
    };
  }

  private static boolean isBox(final Value v) {
    // Also lambdas: a non-capturing lambda is one instance per call site.
    return v instanceof Virtual w && (w.shape == Virtual.Shape.BOX || w.shape == Virtual.Shape.LAMBDA);
  }

  /**
   * Returns {@code v} as a field or element of type {@code t} holds it: ints stored into boolean, byte, char and
   * short locations are narrowed (JVMS putfield, bastore, castore, sastore), computed now when known, else emitted.
   */
  private Value narrow(final Value v, final Type t) {
    final int sort = t.getSort();
    if (sort != Type.BOOLEAN && sort != Type.BYTE && sort != Type.CHAR && sort != Type.SHORT) {
      return v;
    }
    if (v instanceof Known k) {
      final int x = k.asInt();
      return Known.ofInt(switch (sort) {
        case Type.BOOLEAN -> x & 1;
        case Type.BYTE -> (byte) x;
        case Type.CHAR -> (char) x;
        default -> (short) x;
      });
    }
    if (sort == Type.BOOLEAN) {
      return ev.emit(IAND, new Value[] {v, Known.ofInt(1)}, Kind.INT);
    }
    return ev.emit(sort == Type.BYTE ? I2B : sort == Type.CHAR ? I2C : I2S, new Value[] {v}, Kind.INT);
  }
}
