package org.quasi.memguard.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.quasi.runtime.internal.NearestNames;

/**
 * The protected locations: (object by identity, field), (object, array index), static fields, and instance fields
 * protected on every instance (what a spec file's entries mean under {@code ./quasi memguard --spec}).
 *
 * <p>Each location counts its protections: an explicit {@code MemGuard.protect} and each version that relies on it
 * add one; {@code release} and the version's invalidation remove theirs; the location is protected while the count is
 * positive. A field is named by its declaring class's binary name and its name ({@code "com.x.Config.limit"}), an
 * array element by {@code "[i]"}. Objects are held weakly.
 *
 * <p>Thread-safe. Lookups from trapped writes ({@link ProtectedObjects}) take no lock and allocate nothing.
 */
public final class ProtectedSet {

  private final ProtectedObjects objects = new ProtectedObjects();
  private final Map<String, Integer> everyInstance = new ConcurrentHashMap<>();
  private final Map<String, Integer> statics = new ConcurrentHashMap<>();
  /** Fields protected by name (spec entries): field name -> owners as named, resolved when a write is checked. */
  private final Map<String, Set<String>> named = new ConcurrentHashMap<>();
  /** Whether anything was ever protected: trapped sites skip all lookups until then. */
  private volatile boolean any;

  /** Adds one protection of {@code key} on {@code object}. */
  public void protect(final Object object, final String key) {
    final Map<String, Integer> fields = objects.make(object);
    fields.merge(key, 1, Integer::sum);
    any = true;
  }

  /** Removes one protection of {@code key} on {@code object}; returns whether there was one. */
  public boolean release(final Object object, final String key) {
    final Map<String, Integer> fields = objects.get(object);
    return fields != null && decrement(fields, key);
  }

  /** Adds one protection of static field {@code key}, or of instance field {@code key} on every instance. */
  public void protectField(final String key, final boolean isStatic) {
    (isStatic ? statics : everyInstance).merge(key, 1, Integer::sum);
    any = true;
  }

  /** Removes one protection added by {@link #protectField}; returns whether there was one. */
  public boolean releaseField(final String key, final boolean isStatic) {
    return decrement(isStatic ? statics : everyInstance, key);
  }

  /** Protects field {@code field} as {@code owner} (binary name) sees it, on every instance, or the static field. */
  public void protectNamed(final String owner, final String field) {
    named.computeIfAbsent(field, f -> ConcurrentHashMap.newKeySet()).add(owner);
    any = true;
  }

  /** Removes the protection added by {@link #protectNamed}; returns whether there was one. */
  public boolean releaseNamed(final String owner, final String field) {
    final Set<String> owners = named.get(field);
    final boolean had = owners != null && owners.remove(owner);
    if (owners != null && owners.isEmpty()) {
      named.remove(field, owners);
    }
    return had;
  }

  /** Whether something was ever protected. */
  public boolean any() {
    return any;
  }

  /** Whether {@code object} has any protected location, or its class has a field protected on every instance. */
  public boolean mayHold(final Object object) {
    if (!everyInstance.isEmpty() || !named.isEmpty()) {
      return true;
    }
    final Map<String, Integer> fields = objects.get(object);
    return fields != null && !fields.isEmpty();
  }

  /** Whether field {@code key} of {@code object} ({@code null}: the static field {@code key}) is protected. */
  public boolean isProtected(final Object object, final String key) {
    if (object == null) {
      return statics.containsKey(key) || namedStatic(key, key.substring(0, key.lastIndexOf('.')));
    }
    if (everyInstance.containsKey(key) || namedInstance(object.getClass(), key)) {
      return true;
    }
    final Map<String, Integer> fields = objects.get(object);
    return fields != null && fields.containsKey(key);
  }

  /** The protected keys of {@code object} (its own and those protected on every instance). */
  public List<String> keysOf(final Object object) {
    final List<String> keys = new ArrayList<>(everyInstance.keySet());
    for (final Map.Entry<String, Set<String>> e : named.entrySet()) {
      for (Class<?> c = object.getClass(); c != null; c = c.getSuperclass()) {
        if (e.getValue().contains(c.getName())) {
          try {
            keys.add(key(resolve(c, e.getKey(), false)));
          } catch (IllegalArgumentException absent) {
            // The spec names a field this class does not have: nothing of it to map.
          }
          break;
        }
      }
    }
    final Map<String, Integer> fields = objects.get(object);
    if (fields != null) {
      keys.addAll(fields.keySet());
    }
    return keys;
  }

  /** The protected static keys of {@code type}: its own protected statics and spec entries naming it. */
  public List<String> staticKeys(final Class<?> type) {
    final List<String> keys = new ArrayList<>(statics.keySet());
    for (final Map.Entry<String, Set<String>> e : named.entrySet()) {
      if (e.getValue().contains(type.getName())) {
        try {
          keys.add(key(resolve(type, e.getKey(), true)));
        } catch (IllegalArgumentException absent) {
          // Named as an instance field, or absent: not a static of this class.
        }
      }
    }
    return keys;
  }

  /** Whether static field {@code key} is named by a spec entry whose owner is its class or {@code seenAs}. */
  public boolean namedStatic(final String key, final String seenAs) {
    final int dot = key.lastIndexOf('.');
    final Set<String> owners = named.get(key.substring(dot + 1));
    return owners != null && (owners.contains(key.substring(0, dot)) || owners.contains(seenAs));
  }

  /**
   * Whether instance field {@code key} of an object of class {@code type} is named by a spec entry: an owner of the
   * entry is {@code type} or a superclass, and the field resolves from it to {@code key}'s declaring class.
   */
  public boolean namedInstance(final Class<?> type, final String key) {
    final int dot = key.lastIndexOf('.');
    final String field = key.substring(dot + 1);
    final Set<String> owners = named.get(field);
    if (owners == null) {
      return false;
    }
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (owners.contains(c.getName())) {
        try {
          return key(resolve(c, field, false)).equals(key);
        } catch (IllegalArgumentException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static boolean decrement(final Map<String, Integer> counts, final String key) {
    final boolean[] had = new boolean[1];
    counts.computeIfPresent(key, (k, n) -> {
      had[0] = true;
      return n == 1 ? null : n - 1;
    });
    return had[0];
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Naming fields
  // -----------------------------------------------------------------------------------------------------------------

  /** The key of a field. */
  public static String key(final Field field) {
    return field.getDeclaringClass().getName() + "." + field.getName();
  }

  /** The key of array element {@code index}. */
  public static String key(final int index) {
    return "[" + index + "]";
  }

  /**
   * The field {@code name} as {@code type} sees it (declared there or in a superclass, the nearest first), static or
   * not as asked.
   *
   * @throws IllegalArgumentException naming the field, the class and the nearest existing names when there is none
   */
  public static Field resolve(final Class<?> type, final String name, final boolean isStatic) {
    final List<String> seen = new ArrayList<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (final Field f : c.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers()) == isStatic) {
          if (f.getName().equals(name)) {
            return f;
          }
          seen.add(f.getName());
        }
      }
    }
    throw new IllegalArgumentException("no " + (isStatic ? "static" : "instance") + " field '" + name + "' in "
        + type.getName() + (seen.isEmpty() ? " (it has none)" : "; nearest: " + NearestNames.names(name, seen, 3)));
  }
}
