package org.quasi.specializer.internal;

import org.objectweb.asm.Type;

/**
 * An abstract value of the partial evaluator: what the specializer knows about one local variable or operand stack
 * slot at one point of the residual program.
 *
 * <ul>
 *   <li>{@link Known}: the value is known at specialization time (a primitive constant, {@code null}, or the identity
 *       of a live object); it costs nothing at run time and is materialized as a constant only when residual code
 *       needs it.</li>
 *   <li>{@link Unknown}: computed at run time; it always lives in a residual local variable, so residual code never
 *       keeps values on the operand stack between two original instructions (joins then only need moves between
 *       locals).</li>
 *   <li>{@link Uninit}: the result of {@code new} whose constructor has not run yet; the allocation is emitted together
 *       with the constructor call.</li>
 *   <li>{@link Top}: no usable value (a dead local, the second half of a long or double).</li>
 * </ul>
 */
sealed interface Value permits Value.Known, Value.Unknown, Value.Uninit, Value.Top, Virtual {

  /** Returns the computational kind of this value. */
  Kind kind();

  /** Returns 2 for long and double values, 1 otherwise (the JVM's computational category). */
  default int category() {
    return kind().category();
  }

  /** The JVM's computational kinds (sub-int types are ints). */
  enum Kind {
    INT(Type.INT_TYPE), LONG(Type.LONG_TYPE), FLOAT(Type.FLOAT_TYPE), DOUBLE(Type.DOUBLE_TYPE),
    REF(Type.getObjectType("java/lang/Object")), NONE(Type.VOID_TYPE);

    final Type type;

    Kind(final Type type) {
      this.type = type;
    }

    int category() {
      return this == LONG || this == DOUBLE ? 2 : 1;
    }

    /** Returns the opcode of the load instruction for this kind (ILOAD for ints, and so on). */
    int loadOpcode() {
      return type.getOpcode(org.objectweb.asm.Opcodes.ILOAD);
    }

    /** Returns the opcode of the store instruction for this kind. */
    int storeOpcode() {
      return type.getOpcode(org.objectweb.asm.Opcodes.ISTORE);
    }

    /** Returns the kind of values of the given type (booleans, bytes, chars and shorts are ints). */
    static Kind of(final Type t) {
      return switch (t.getSort()) {
        case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> INT;
        case Type.LONG -> LONG;
        case Type.FLOAT -> FLOAT;
        case Type.DOUBLE -> DOUBLE;
        case Type.VOID -> NONE;
        default -> REF;
      };
    }
  }

  /**
   * A value known at specialization time. Primitives are boxed as Integer, Long, Float or Double; references are
   * live objects (or null) compared by identity.
   *
   * @param kind              the computational kind
   * @param value             the boxed primitive or the object
   * @param elementsFoldable  for arrays: whether the elements may be folded (the array was reached through a
   *                          quasi-invariant field)
   */
  record Known(Kind kind, Object value, boolean elementsFoldable) implements Value {

    static final Known NULL = new Known(Kind.REF, null, false);

    public Known {
      if (kind == Kind.REF && value != null) {
        HeapTrace.created(value);
      }
    }

    static Known ofInt(final int v) {
      return new Known(Kind.INT, v, false);
    }

    static Known ofLong(final long v) {
      return new Known(Kind.LONG, v, false);
    }

    static Known ofFloat(final float v) {
      return new Known(Kind.FLOAT, v, false);
    }

    static Known ofDouble(final double v) {
      return new Known(Kind.DOUBLE, v, false);
    }

    static Known ofRef(final Object o) {
      return o == null ? NULL : new Known(Kind.REF, o, false);
    }

    int asInt() {
      return (Integer) value;
    }

    long asLong() {
      return (Long) value;
    }

    float asFloat() {
      return (Float) value;
    }

    double asDouble() {
      return (Double) value;
    }

    @Override
    public boolean equals(final Object o) {
      if (!(o instanceof Known k) || k.kind != kind || k.elementsFoldable != elementsFoldable) {
        return false;
      }
      // Boxed equals compares floats and doubles by bits, so NaN == NaN and 0.0 != -0.0, as constants need.
      return kind == Kind.REF ? value == k.value : value.equals(k.value);
    }

    @Override
    public int hashCode() {
      return kind == Kind.REF ? System.identityHashCode(value) : value.hashCode();
    }

    @Override
    public String toString() {
      if (kind != Kind.REF || value == null) {
        return String.valueOf(value);
      }
      return value instanceof String s ? '"' + s + '"'
          : value.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(value));
    }
  }

  /**
   * A value computed at run time and held in residual local {@code local}. Identity matters: two slots holding the
   * same instance hold the same run-time value.
   */
  final class Unknown implements Value {
    final Kind kind;
    final int local;

    Unknown(final Kind kind, final int local) {
      this.kind = kind;
      this.local = local;
    }

    @Override
    public Kind kind() {
      return kind;
    }

    @Override
    public String toString() {
      return "?" + kind.name().toLowerCase(java.util.Locale.ROOT) + "@" + local;
    }
  }

  /**
   * A freshly allocated object whose constructor has not run: {@code type} is its internal name, {@code site} tells
   * allocations apart (frame depth and instruction index of the {@code new}).
   */
  record Uninit(String type, int site) implements Value {
    @Override
    public Kind kind() {
      return Kind.REF;
    }
  }

  /** No usable value. */
  enum Top implements Value {
    TOP;

    @Override
    public Kind kind() {
      return Kind.NONE;
    }
  }
}
