package org.quasi.specializer.validate.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.quasi.specializer.SpecializationRequest;

/**
 * The fields a trial assumes on a known object: the object is known together with its fields' values at the call,
 * as the version manager knows an entry point's key fields ({@link SpecializationRequest#assumeField}). The residual
 * code then reads none of them until it may have written them, and the comparison with the original checks that
 * this is right. The trial reads the values right before specializing and calls the residual code right after, on
 * the same thread, with nothing in between that writes the object: the caller's single read that
 * {@code assumeField} requires.
 *
 * <p>Assumed: every instance field of the object's class and superclasses that is neither {@code volatile} (the
 * request would decline) nor unreadable here (a JDK class's private field). Nothing is assumed for a
 * {@code synchronized} method, which the request would decline, nor for arrays (their elements are not fields).
 */
final class KnownFields {
  private KnownFields() {
  }

  /** {@code request} assuming the fields of {@code object}, known as argument of {@code m}; their names, too. */
  static SpecializationRequest<Object> assume(final SpecializationRequest<Object> request, final Method m,
      final Object object, final List<String> assumed) {
    if (object == null || object.getClass().isArray() || Modifier.isSynchronized(m.getModifiers())) {
      return request;
    }
    SpecializationRequest<Object> r = request;
    for (final Field f : fields(object.getClass())) {
      final Object value;
      try {
        value = f.get(object);
      } catch (IllegalAccessException e) {
        continue;
      }
      r = r.assumeField(object, f.getDeclaringClass(), f.getName(), value);
      assumed.add(f.getName());
    }
    return r;
  }

  private static List<Field> fields(final Class<?> c) {
    final List<Field> out = new ArrayList<>();
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (final Field f : k.getDeclaredFields()) {
        final int mods = f.getModifiers();
        if (!Modifier.isStatic(mods) && !Modifier.isVolatile(mods) && !f.isSynthetic() && f.trySetAccessible()) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
