package org.quasi.specializer.validate.sample;

import java.lang.reflect.Field;

/** Reads memory through {@code sun.misc.Unsafe} at an offset computed from its argument: never run on drawn values. */
public final class RawMemory {
  private static final sun.misc.Unsafe UNSAFE = unsafe();

  private RawMemory() {
  }

  /** Element {@code i} of {@code a}, unchecked: a large {@code i} reads outside the array. */
  public static long peek(final long[] a, final int i) {
    return UNSAFE.getLong(a, sun.misc.Unsafe.ARRAY_LONG_BASE_OFFSET + 8L * i);
  }

  private static sun.misc.Unsafe unsafe() {
    try {
      final Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      return (sun.misc.Unsafe) f.get(null);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
