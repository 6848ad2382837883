package org.quasi.versions;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Type;
import org.quasi.runtime.internal.NearestNames;

/**
 * Finds an entry point's method as a spec file names it: the declaring class, the name and the JVM descriptor, so
 * overloads are never ambiguous.
 *
 * @since 0.1
 */
public final class EntryMethods {

  private EntryMethods() {
  }

  /**
   * The method {@code name} with JVM descriptor {@code descriptor} declared by {@code owner} (not inherited: the entry
   * point rewrites the body of the class that declares it).
   *
   * @throws IllegalArgumentException when there is none; the message lists the nearest methods of {@code owner} as
   *     {@code name(descriptor)}
   */
  public static Method find(final Class<?> owner, final String name, final String descriptor) {
    final Set<String> candidates = new LinkedHashSet<>();
    for (final Method m : owner.getDeclaredMethods()) {
      final String desc = Type.getMethodDescriptor(m);
      if (m.getName().equals(name) && desc.equals(descriptor)) {
        return m;
      }
      if (!m.isSynthetic()) {
        candidates.add(m.getName() + desc);
      }
    }
    final List<String> nearest = new ArrayList<>(NearestNames.names(name + descriptor, candidates, 3));
    throw new IllegalArgumentException("no method " + name + descriptor + " declared in " + owner.getName()
        + "; nearest: " + (nearest.isEmpty() ? "none" : String.join(", ", nearest)));
  }
}
