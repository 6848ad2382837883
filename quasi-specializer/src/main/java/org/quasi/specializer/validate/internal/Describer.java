package org.quasi.specializer.validate.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Describes a value deeply and deterministically, so that two runs on equal, distinct inputs can be compared by their
 * descriptions: boxes with their type ({@code Integer 1} differs from {@code Long 1}), strings quoted, arrays and
 * collections element by element in iteration order, maps entry by entry, enums by name, JDK objects by their own
 * {@code toString} (or class name when they have none), other objects field by field (to depth 4; cycles marked).
 *
 * @implNote Objects whose only identity-free view is {@code Object.toString} (an identity hash) are described by their
 *     class name alone, and lambdas and hidden classes as "a lambda implementing I": the residual code creates its
 *     lambdas in another class, which is not a difference a caller can rely on.
 */
public final class Describer {
  private static final int MAX_DEPTH = 4;
  private static final int MAX_ELEMENTS = 64;
  private static final int MAX_CHARS = 4096;
  private static final java.util.regex.Pattern IDENTITY = java.util.regex.Pattern.compile("@[0-9a-f]{1,8}\\b");
  /**
   * The name of a lambda's class inside a JDK object's text ({@code Stats$$Lambda/0x…}, or
   * {@code Stats$$Quasi_…$$Lambda/0x…} when the residual code made it; a hidden class's name ends in
   * {@code /0x} and a number): where the lambda was created is no difference a caller can rely on, as for a lambda
   * described alone.
   */
  private static final java.util.regex.Pattern LAMBDA_CLASS =
      java.util.regex.Pattern.compile("[\\w.$]*\\$\\$Lambda[\\w$]*/0x[0-9a-f]+");

  private Describer() {
  }

  /** Describes {@code o}. */
  public static String describe(final Object o) {
    final StringBuilder b = new StringBuilder();
    describe(o, b, 0, new IdentityHashMap<>());
    return b.toString();
  }

  /**
   * Describes {@code o} into {@code b}; when the library code a description runs ({@code toString}, {@code charAt}
   * of a {@code CharSequence}) throws, {@code o} is described by its class and what it threw: equal states throw
   * alike, and the harness goes on.
   */
  private static void describe(final Object o, final StringBuilder b, final int depth,
      final IdentityHashMap<Object, Boolean> seen) {
    final int start = b.length();
    try {
      describeOnce(o, b, depth, seen);
    } catch (RuntimeException e) {
      b.setLength(start);
      b.append('<').append(o.getClass().getName()).append(" whose description threw ")
          .append(e.getClass().getName()).append('>');
    }
  }

  private static void describeOnce(final Object o, final StringBuilder b, final int depth,
      final IdentityHashMap<Object, Boolean> seen) {
    if (o == null) {
      b.append("null");
      return;
    }
    final Class<?> c = o.getClass();
    if (o instanceof CharSequence s && s.length() > MAX_CHARS) {
      // A long text is described by its length and content hash: equal texts agree, and memory stays bounded.
      b.append(c.getSimpleName()).append(" of ").append(s.length()).append(" chars, hash ")
          .append(s.toString().hashCode());
      return;
    }
    if (o instanceof String s) {
      b.append('"').append(s).append('"');
      return;
    }
    if (o instanceof Number || o instanceof Boolean || o instanceof Character) {
      b.append(c.getSimpleName()).append(' ').append(o);
      return;
    }
    if (o instanceof Enum<?> e) {
      b.append(e.getDeclaringClass().getName()).append('.').append(e.name());
      return;
    }
    if (o instanceof Class<?> k) {
      b.append("class ").append(k.getName());
      return;
    }
    if (c.isHidden() || c.isSynthetic()) {
      b.append("a lambda implementing ").append(java.util.Arrays.toString(c.getInterfaces()));
      return;
    }
    if (depth > MAX_DEPTH) {
      b.append(c.getName()).append("{...}");
      return;
    }
    if (seen.put(o, Boolean.TRUE) != null) {
      b.append("<cycle ").append(c.getName()).append('>');
      return;
    }
    try {
      if (c.isArray()) {
        b.append(c.getComponentType().getName()).append('[');
        final int n = Array.getLength(o);
        for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
          b.append(i == 0 ? "" : ", ");
          describe(Array.get(o, i), b, depth + 1, seen);
        }
        b.append(n > MAX_ELEMENTS ? ", ... " + n + "]" : "]");
      } else if (o instanceof Collection<?> col && c.getName().startsWith("java.")) {
        b.append(c.getName()).append('[');
        int i = 0;
        for (final Object e : col) {
          if (i++ == MAX_ELEMENTS) {
            b.append(", ...");
            break;
          }
          b.append(i == 1 ? "" : ", ");
          describe(e, b, depth + 1, seen);
        }
        b.append(']');
      } else if (o instanceof Map<?, ?> m && c.getName().startsWith("java.")) {
        b.append(c.getName()).append('{');
        int i = 0;
        for (final Map.Entry<?, ?> e : m.entrySet()) {
          b.append(i++ == 0 ? "" : ", ");
          describe(e.getKey(), b, depth + 1, seen);
          b.append('=');
          describe(e.getValue(), b, depth + 1, seen);
        }
        b.append('}');
      } else if (o instanceof CharSequence s) {
        b.append(c.getSimpleName()).append(" \"").append(s).append('"');
      } else if (c.getName().startsWith("java.") || c.getName().startsWith("javax.")) {
        // JDK objects are seen through their own toString, identity hashes ("@1b6d3586") left out.
        b.append(c.getName()).append(' ').append(ownToString(c) ? LAMBDA_CLASS.matcher(
            IDENTITY.matcher(o.toString()).replaceAll("@…")).replaceAll("a lambda") : "");
      } else {
        fields(o, c, b, depth, seen);
      }
    } finally {
      seen.remove(o);
    }
  }

  private static void fields(final Object o, final Class<?> c, final StringBuilder b, final int depth,
      final IdentityHashMap<Object, Boolean> seen) {
    b.append(c.getName()).append('{');
    boolean first = true;
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (final Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
          continue;
        }
        b.append(first ? "" : ", ").append(f.getName()).append('=');
        first = false;
        if (!f.trySetAccessible()) {
          b.append('?');
          continue;
        }
        try {
          describe(f.get(o), b, depth + 1, seen);
        } catch (IllegalAccessException e) {
          b.append('?');
        }
      }
    }
    b.append('}');
  }

  private static boolean ownToString(final Class<?> c) {
    try {
      return c.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
