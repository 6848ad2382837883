package org.quasi.memguard.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Maps a {@code sun.misc.Unsafe} put's (base, offset) back to the protected location it writes: for an instance base,
 * the protected fields of that object whose {@code objectFieldOffset} equals the offset; for a {@code Class} base (what
 * {@code staticFieldBase} returns on HotSpot), the protected static fields of that class; for an array base, the
 * element at {@code (offset - arrayBaseOffset) / arrayIndexScale}.
 *
 * <p>The offsets are asked of the very {@code Unsafe} instance the program used (the call's receiver), through
 * method handles from the public lookup, so MemGuard needs no access of its own to {@code sun.misc.Unsafe}.
 */
final class UnsafeTargets {

  private UnsafeTargets() {
  }

  static void check(final String how, final Object[] args) {
    if (args.length < 4 || !(args[2] instanceof Long offset) || args[1] == null) {
      return;
    }
    final Object unsafe = args[0];
    final Object base = args[1];
    final ProtectedSet set = Traps.protectedSet();
    final Object value = Traps.newValue(how, args);
    if (base.getClass().isArray()) {
      final long first = (int) invoke(unsafe, "arrayBaseOffset", int.class, Class.class, base.getClass());
      final long scale = (int) invoke(unsafe, "arrayIndexScale", int.class, Class.class, base.getClass());
      if (scale > 0 && offset >= first && (offset - first) % scale == 0) {
        final int index = (int) ((offset - first) / scale);
        if (set.isProtected(base, ProtectedSet.key(index))) {
          Traps.report(how, Traps.describe(base), base.getClass().getName() + "." + ProtectedSet.key(index),
              Traps.readElement(base, index), value);
        }
      }
      return;
    }
    if (base instanceof Class<?> type) {
      for (final String key : set.staticKeys(type)) {
        final Field f = field(type, key, true);
        if (f != null && (long) invoke(unsafe, "staticFieldOffset", long.class, Field.class, f) == offset
            && !Traps.guardedByBracket(f, null)) {
          Traps.report(how, "static", key, Traps.readField(f, null), value);
        }
      }
    }
    if (!set.mayHold(base)) {
      return;
    }
    for (final String key : set.keysOf(base)) {
      final Field f = field(base.getClass(), key, false);
      if (f != null && (long) invoke(unsafe, "objectFieldOffset", long.class, Field.class, f) == offset
          && !Traps.guardedByBracket(f, base)) {
        Traps.report(how, Traps.describe(base), key, Traps.readField(f, base), value);
      }
    }
  }

  /** The field named by {@code key} if {@code type} has it (declared there or inherited). */
  private static Field field(final Class<?> type, final String key, final boolean isStatic) {
    final int dot = key.lastIndexOf('.');
    if (dot < 0) {
      return null;
    }
    final String owner = key.substring(0, dot);
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(owner)) {
        try {
          final Field f = c.getDeclaredField(key.substring(dot + 1));
          if (Modifier.isStatic(f.getModifiers()) == isStatic) {
            f.trySetAccessible();
            return f;
          }
        } catch (NoSuchFieldException | RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static Object invoke(final Object unsafe, final String name, final Class<?> result, final Class<?> param,
      final Object arg) {
    try {
      final MethodHandle h = MethodHandles.publicLookup().findVirtual(unsafe.getClass(), name,
          MethodType.methodType(result, param));
      return h.invoke(unsafe, arg);
    } catch (Throwable e) {
      throw new IllegalStateException("Unsafe." + name + " failed: " + e, e);
    }
  }
}
