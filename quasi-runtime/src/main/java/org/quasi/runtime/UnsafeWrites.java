package org.quasi.runtime;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.quasi.runtime.internal.BegunWrite;

/**
 * Guarded writes through {@code sun.misc.Unsafe} at offsets woven code computed. An offset is a number, so
 * quasi-agent weaves {@link #remember} after each {@code objectFieldOffset(Field)} and {@code staticFieldOffset(Field)}
 * call of woven code (the call stays as it was), and brackets each {@code put*}, {@code compareAndSwap*},
 * {@code getAndSet*} and {@code getAndAdd*} call that takes an object and an offset with {@link #begin} and
 * {@link #end}, as {@link ReflectiveWrites} does for {@code Field.set*}: when (object, offset) is a remembered field of
 * a guarded object (or the static base and offset of a remembered static field whose flag is armed), the dependents
 * are invalidated before the store and the write ends after it, also when it throws.
 *
 * @implNote Offsets computed elsewhere (a library, the JDK, arithmetic on an offset, an array base and scale) are not
 *     recognized, and neither are address-only stores ({@code putInt(long, int)}): they bypass the guard. A static
 *     field's base is matched as the declaring class's mirror, which is what HotSpot's {@code staticFieldBase}
 *     returns. An (object, offset) pair is matched to a remembered field whose declaring class the object is an
 *     instance of; two remembered fields of one object never share an offset.
 * @since 0.1
 */
public final class UnsafeWrites {

  /** A remembered offset and its field. */
  private record Entry(long offset, Class<?> declaring, String name, boolean isStatic) {
  }

  /** Copy-on-write under the class's monitor; read without a lock by {@link #begin}. */
  private static volatile Entry[] entries = new Entry[0];

  private UnsafeWrites() {
  }

  /** Remembers that {@code offset} is where {@code field} lives (an {@code objectFieldOffset} or similar result). */
  public static void remember(final long offset, final Field field) {
    if (field == null) {
      return;
    }
    add(new Entry(offset, field.getDeclaringClass(), field.getName(), Modifier.isStatic(field.getModifiers())));
  }

  /**
   * Begins the guarded write a store at ({@code target}, {@code offset}) is about to make, if it is a remembered
   * field of a guarded location; returns what to pass to {@link #end}, or {@code null}.
   */
  public static Object begin(final Object target, final long offset) {
    if (target == null) {
      return null;
    }
    for (final Entry e : entries) {
      if (e.offset() != offset) {
        continue;
      }
      if (e.isStatic() && target == e.declaring()) {
        final GuardFlag flag = Guards.staticFlag(e.declaring(), e.name());
        if (!flag.armed()) {
          return null;
        }
        Guards.beforeStaticWrite(flag);
        return new BegunWrite(null, flag, e.declaring(), e.name());
      }
      if (!e.isStatic() && e.declaring().isInstance(target)) {
        final Quid quid = Guards.existingQuid(target);
        if (quid == null) {
          return null;
        }
        Guards.beforeWrite(target, quid, e.declaring(), e.name());
        return new BegunWrite(quid, null, e.declaring(), e.name());
      }
    }
    return null;
  }

  /** Ends the write begun by {@link #begin}; with a {@code null} token and {@code strict}, fences and tests again. */
  public static void end(final Object token, final Object target, final long offset, final boolean strict) {
    if (token instanceof BegunWrite b) {
      b.end();
    } else if (strict && entries.length > 0) {
      VarHandle.fullFence();
      final Object again = begin(target, offset);
      if (again != null) {
        end(again, target, offset, false);
      }
    }
  }

  private static synchronized void add(final Entry entry) {
    final List<Entry> all = new ArrayList<>(List.of(entries));
    if (!all.contains(entry)) {
      all.add(entry);
      entries = all.toArray(new Entry[0]);
    }
  }
}
