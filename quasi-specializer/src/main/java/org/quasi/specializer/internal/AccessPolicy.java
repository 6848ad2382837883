package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides what residual code may reference: exactly what the caller's {@link MethodHandles.Lookup} grants. The hidden
 * class is a nestmate of the lookup class, in its package and module, so it has the lookup class's access, with one
 * exception the policy accounts for: it is not a subclass of anything the lookup class extends, so protected members
 * of other packages are refused.
 *
 * <p>A class must also be <em>the same class</em> when named from the lookup class's loader as from the code being
 * specialized; otherwise the residual reference would link to another class (or fail to link).
 */
final class AccessPolicy {
  private final MethodHandles.Lookup lookup;
  private final Class<?> lookupClass;
  private final Map<Class<?>, Boolean> classes = new ConcurrentHashMap<>();

  /** Policies of full-privilege lookups, shared per lookup class: they all grant exactly the class's access. */
  private static final ClassValue<Map<Class<?>, AccessPolicy>> FULL = new ClassValue<>() {
    @Override
    protected Map<Class<?>, AccessPolicy> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  /** The getters this policy's lookup obtained, so repeated folds of one field do not look it up again. */
  final Map<java.lang.reflect.Field, java.lang.invoke.MethodHandle> getters = new ConcurrentHashMap<>();

  /** Returns the policy for {@code lookup}, shared among full-privilege lookups of the same class. */
  static AccessPolicy of(final MethodHandles.Lookup lookup) {
    if (!lookup.hasFullPrivilegeAccess()) {
      return new AccessPolicy(lookup);
    }
    return FULL.get(lookup.lookupClass()).computeIfAbsent(lookup.lookupClass(), c -> new AccessPolicy(lookup));
  }

  private AccessPolicy(final MethodHandles.Lookup lookup) {
    this.lookup = lookup;
    this.lookupClass = lookup.lookupClass();
  }

  boolean fullPrivilege() {
    return lookup.hasFullPrivilegeAccess();
  }

  Class<?> lookupClass() {
    return lookupClass;
  }

  /** Returns whether residual code may name class {@code c}. */
  boolean classAccessible(final Class<?> c) {
    if (c.isPrimitive()) {
      return true;
    }
    return classes.computeIfAbsent(c, this::checkClass);
  }

  private boolean checkClass(final Class<?> c) {
    Class<?> element = c;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    if (element.isPrimitive()) {
      return true;
    }
    if (element.isHidden()) {
      return false;
    }
    try {
      lookup.accessClass(element);
    } catch (IllegalAccessException e) {
      return false;
    }
    try {
      return Class.forName(element.getName(), false, lookupClass.getClassLoader()) == element;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Returns whether residual code may reference a member declared in {@code declaring} with {@code modifiers},
   * through a symbolic reference naming class {@code referenced}.
   */
  boolean memberAccessible(final Class<?> referenced, final Class<?> declaring, final int modifiers) {
    if (!classAccessible(referenced)) {
      return false;
    }
    if (Modifier.isPublic(modifiers)) {
      // The JVM checks a public member through the class its reference names alone (JVMS 5.4.4), so a public class
      // lends its package-private superclass's public members (kotlinc's facades: CharsKt.checkRadix, declared in
      // CharsKt__CharJVMKt).
      return true;
    }
    if (Modifier.isPrivate(modifiers)) {
      return declaring.getNestHost() == lookupClass.getNestHost();
    }
    // Package-private and protected: only within the lookup class's run-time package.
    return samePackage(declaring);
  }

  /** Returns whether {@code c} is in the lookup class's run-time package (same loader, same package name). */
  boolean samePackage(final Class<?> c) {
    return c.getClassLoader() == lookupClass.getClassLoader()
        && Objects.equals(c.getPackageName(), lookupClass.getPackageName());
  }

  /** Returns {@code c} or its nearest superclass that residual code may name (at worst Object). */
  Class<?> nearestAccessible(final Class<?> c) {
    if (c.isArray()) {
      return classAccessible(c) ? c : Object.class;
    }
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (classAccessible(k)) {
        return k;
      }
    }
    return Object.class;
  }
}
