package org.quasi.typeguard;

import java.util.Objects;

/**
 * Names a field: the class that declares (or, before resolution, names) it and its simple name.
 *
 * @param owner the binary class name with dots, such as {@code com.x.Outer$Inner}
 * @param name the field name
 * @since 0.1
 */
public record FieldId(String owner, String name) implements Comparable<FieldId> {

  /** Checks the parts. */
  public FieldId {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    if (owner.isEmpty() || name.isEmpty()) {
      throw new IllegalArgumentException("A field needs an owner and a name, got '" + owner + "." + name + "'");
    }
  }

  /**
   * Parses {@code Owner.field}; the owner may use dots or slashes between packages.
   *
   * @param qualified such as {@code com.x.Task.uid}
   * @return the field id
   * @throws IllegalArgumentException if there is no dot or either part is empty
   */
  public static FieldId parse(final String qualified) {
    final String normal = qualified.strip().replace('/', '.');
    final int dot = normal.lastIndexOf('.');
    if (dot <= 0 || dot == normal.length() - 1) {
      throw new IllegalArgumentException("Expected Owner.field such as com.x.Task.uid, got '" + qualified + "'");
    }
    return new FieldId(normal.substring(0, dot), normal.substring(dot + 1));
  }

  /** {@return the owner as a JVM internal name, such as {@code com/x/Task}} */
  public String ownerInternalName() {
    return owner.replace('.', '/');
  }

  @Override
  public int compareTo(final FieldId other) {
    final int c = owner.compareTo(other.owner);
    return c != 0 ? c : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return owner + "." + name;
  }
}
