package org.quasi.specializer;

import java.util.Objects;

/**
 * One heap fact a specialization relies on: a field of a live object (or a static field), or an element of a live
 * array, whose value the specializer read and folded into the residual code.
 *
 * <p>A specialization stays correct exactly as long as every one of its dependencies still holds, that is as long as
 * the field or element still contains {@link #value()}. Guards (a later part of Quasi) watch the writes to these
 * locations and invalidate the specialization when one changes.
 *
 * <p>{@link #object()} is compared by identity, never by {@code equals}: a dependency names a location in the live
 * heap, not a value. {@link #value()} is compared with {@code equals} when it is a boxed primitive (the field held a
 * primitive) and by identity otherwise.
 *
 * @param kind   what sort of location was read
 * @param object the object whose field or element was read; {@code null} for a static field
 * @param owner  the class declaring the field, or the array's class for an element
 * @param field  the field's name; {@code null} for an array element
 * @param index  the element index; {@code -1} for a field
 * @param value  the value read (a boxed primitive for primitive fields and elements)
 * @since 0.1
 */
public record Dependency(Kind kind, Object object, Class<?> owner, String field, int index, Object value) {

  /** The sort of heap location a dependency names. */
  public enum Kind {
    /** A {@code final} instance or static field, folded as a true invariant. */
    FINAL_FIELD,
    /** A field declared quasi-invariant by the caller. */
    QUASI_INVARIANT_FIELD,
    /** An element of an array reached through a quasi-invariant field. */
    ARRAY_ELEMENT
  }

  public Dependency {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(owner, "owner");
  }

  /** Returns whether this dependency names an array element rather than a field. */
  public boolean isArrayElement() {
    return kind == Kind.ARRAY_ELEMENT;
  }

  @Override
  public boolean equals(final Object other) {
    if (!(other instanceof Dependency d)) {
      return false;
    }
    return kind == d.kind && object == d.object && owner == d.owner && Objects.equals(field, d.field)
        && index == d.index && sameValue(value, d.value);
  }

  /**
   * {@inheritDoc}
   *
   * @implNote The value {@code Objects.hash(kind, identityHashCode(object), owner, field, index)} would give, computed
   *     without its array and boxes: the evaluator adds every folded read to a set, hundreds per walk of a list.
   */
  @Override
  public int hashCode() {
    int h = 1;
    h = 31 * h + kind.hashCode();
    h = 31 * h + System.identityHashCode(object);
    h = 31 * h + owner.hashCode();
    h = 31 * h + Objects.hashCode(field);
    return 31 * h + index;
  }

  @Override
  public String toString() {
    final String where = field != null ? owner.getName() + "." + field : owner.getSimpleName() + "[" + index + "]";
    final String on = object == null ? "static " : identity(object) + ".";
    return kind + " " + on + where + " == " + describe(value);
  }

  private static boolean sameValue(final Object a, final Object b) {
    if (a instanceof Number || a instanceof Character || a instanceof Boolean) {
      return Objects.equals(a, b);
    }
    return a == b;
  }

  private static String identity(final Object o) {
    return o.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(o));
  }

  private static String describe(final Object v) {
    if (v == null || v instanceof Number || v instanceof Character || v instanceof Boolean) {
      return String.valueOf(v);
    }
    if (v instanceof String s) {
      return '"' + s + '"';
    }
    return identity(v);
  }
}
