package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;
import org.quasi.specializer.Dependency;

/**
 * What the version manager checks of a specialization's dependencies before it plugs the version: that each field is
 * guarded, and that each still holds the value the specializer read (the re-read after registration that
 * {@link org.quasi.runtime.Version#plug} runs).
 */
public final class DependencyRereads {

  private DependencyRereads() {
  }

  /**
   * How to read a dependency's field again, and how to compare: a field of primitive type holds when the read gives
   * an equal value (each read boxes anew); a field of reference type only when it gives the very object the version
   * folded (an equal box in an {@code Integer} field is another object to {@code ==}).
   *
   * @param get       {@code (Object)Object} for an instance field, {@code ()Object} for a static one
   * @param primitive whether the field's type is primitive
   */
  public record Reread(MethodHandle get, boolean primitive) {
  }

  /**
   * A handle {@code (Object)Object} (instance field) or {@code ()Object} (static field) reading {@code d}'s field
   * with acquire-or-stronger semantics, through {@code lookup}'s access, taken from
   * {@code readers} when it holds one for that field (a version of a walk over a list depends on the same few fields
   * of many objects) and added to it otherwise.
   *
   * @param readers the readers made so far through {@code lookup}, by owner class then field name (no key to make
   *                per dependency: a version depends on hundreds); its owner's alone, since access depends on the
   *                lookup
   */
  public static Reread reader(final MethodHandles.Lookup lookup, final Dependency d,
      final Map<Class<?>, Map<String, Reread>> readers) throws IllegalAccessException, NoSuchFieldException {
    final Map<String, Reread> ofOwner = readers.computeIfAbsent(d.owner(),
        owner -> new java.util.concurrent.ConcurrentHashMap<>());
    Reread reader = ofOwner.get(d.field());
    if (reader == null) {
      reader = reader(lookup, d);
      ofOwner.put(d.field(), reader);
    }
    return reader;
  }

  private static Reread reader(final MethodHandles.Lookup lookup, final Dependency d)
      throws IllegalAccessException, NoSuchFieldException {
    final Class<?> fieldType = d.owner().getDeclaredField(d.field()).getType();
    final VarHandle vh = d.object() == null ? lookup.findStaticVarHandle(d.owner(), d.field(), fieldType)
        : lookup.findVarHandle(d.owner(), d.field(), fieldType);
    // Typed once as (Object)Object or ()Object: stillHold calls it with invokeExact, with no per-call adaptation.
    final MethodHandle get = vh.toMethodHandle(VarHandle.AccessMode.GET_VOLATILE);
    return new Reread(get.asType(d.object() == null ? MethodType.methodType(Object.class)
        : MethodType.methodType(Object.class, Object.class)), fieldType.isPrimitive());
  }

  /** Whether every dependency still has its value, read again through {@code rereads} (same order). */
  public static boolean stillHold(final Dependency[] deps, final Reread[] rereads) {
    for (int i = 0; i < deps.length; i++) {
      if (!holds(deps[i], rereads[i])) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code d} still has its value: one call per dependency, so that the JIT compiles the re-read. */
  public static boolean holds(final Dependency d, final Reread reread) {
    try {
      final Object now = d.object() == null ? (Object) reread.get().invokeExact()
          : (Object) reread.get().invokeExact(d.object());
      return reread.primitive() ? d.value().equals(now) : d.value() == now;
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a re-read that fails proves nothing still holds; the version is not plugged.
      return false;
    }
  }

  /** Whether {@code owner}'s static {@code field} has its guard flag (its class was woven). */
  public static boolean hasFlag(final Class<?> owner, final String field) {
    try {
      owner.getDeclaredField("$quasi$flag$" + field);
      return true;
    } catch (NoSuchFieldException e) {
      return false;
    }
  }
}
