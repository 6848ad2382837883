package org.quasi.runtime;

import java.util.Objects;

/**
 * A guarded location: one quasi-invariant field of one object, or one static quasi-invariant field. This is what a
 * guard reports to a {@link Dependent} when a write to that location invalidates it.
 *
 * @param object the object whose field is written, compared by identity; {@code null} for a static field, and for
 *               an instance field when the cause is not one write but code that writes the field without a guard
 *               ({@link Guards#writtenWithoutGuard})
 * @param owner  the class declaring the field
 * @param field  the field's name
 * @since 0.1
 */
public record GuardedLocation(Object object, Class<?> owner, String field) {

  public GuardedLocation {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(field, "field");
  }

  /** Returns whether this names no object: a static field, or a field written without a guard on every object. */
  public boolean isStatic() {
    return object == null;
  }

  @Override
  public boolean equals(final Object other) {
    return other instanceof GuardedLocation g && object == g.object && owner == g.owner && field.equals(g.field);
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(object) * 31 + owner.hashCode() * 7 + field.hashCode();
  }

  @Override
  public String toString() {
    final String on = object == null ? "static "
        : object.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(object)) + ".";
    return on + owner.getName() + "." + field;
  }
}
