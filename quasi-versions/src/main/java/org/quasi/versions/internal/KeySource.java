package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.Objects;

/**
 * Where one key value of a call comes from: a JVM argument of the entry method (receiver 0 for an instance method), or
 * an instance field of such an argument, read by the dispatcher once per call.
 *
 * @param argument the JVM argument index
 * @param field    the field read from that argument, or {@code null} for the argument itself
 * @param type     the key value's type: the argument's type in the entry's interface, or the field's type
 */
public record KeySource(int argument, Field field, Class<?> type) {

  public KeySource {
    Objects.requireNonNull(type, "type");
  }

  /** Whether this key is a field read. */
  public boolean isField() {
    return field != null;
  }

  /**
   * A handle taking the argument (typed {@code argumentType}, as the entry's interface declares it) and returning the
   * key value: the identity, or the field's getter found through {@code lookup}.
   *
   * @throws IllegalAccessException when {@code lookup} may not read the field
   */
  public MethodHandle extractor(final MethodHandles.Lookup lookup, final Class<?> argumentType)
      throws IllegalAccessException {
    if (field == null) {
      return MethodHandles.identity(argumentType);
    }
    return lookup.unreflectGetter(field).asType(MethodType.methodType(field.getType(), argumentType));
  }

  /**
   * The key as a spec file writes it: {@code this}, {@code argN} (N counting declared parameters from 0), with
   * {@code .FIELD} for a field key.
   *
   * @param instanceMethod whether argument 0 is the receiver
   */
  public String describe(final boolean instanceMethod) {
    final String base = instanceMethod ? (argument == 0 ? "this" : "arg" + (argument - 1)) : "arg" + argument;
    return field == null ? base : base + "." + field.getName();
  }

  @Override
  public String toString() {
    return "JVM argument " + argument + (field == null ? "" : "." + field.getName());
  }
}
