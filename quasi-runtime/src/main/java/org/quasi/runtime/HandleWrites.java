package org.quasi.runtime;

import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.quasi.runtime.internal.BegunWrite;

/**
 * Guarded writes through handles: var handles, method handle setters and atomic field updaters. A handle does not
 * tell which field it writes, so quasi-agent weaves two things into woven code:
 * <ul>
 *   <li>after each call that makes one ({@code Lookup.findVarHandle}, {@code findStaticVarHandle}, {@code findSetter},
 *       {@code findStaticSetter}, {@code unreflectSetter}, {@code unreflectVarHandle},
 *       {@code Atomic*FieldUpdater.newUpdater}), {@link #remember} notes the handle and its field (the call itself
 *       stays as it was, so its access checks are the original's);</li>
 *   <li>around each call that may write through one (var handle write modes, {@code invoke}/{@code invokeExact}
 *       shaped like a setter, {@code invokeWithArguments(Object...)}, field updater writes), {@link #begin} and
 *       {@link #end}, as {@link ReflectiveWrites} does for {@code Field.set*}: when the handle was remembered and its
 *       location is guarded, the dependents are invalidated before the call and the write ends after it (also when
 *       it throws).</li>
 * </ul>
 * {@link #begin} only compares the handle by identity with the remembered ones (none: one volatile load), so a call
 * through a handle nobody remembered costs a few loads.
 *
 * @implNote Handles made outside woven code (by the JDK, by a library loaded before the agent), handles derived from
 *     a remembered one ({@code bindTo}, {@code asType}, combinators, {@code withInvokeExactBehavior}) and array
 *     element var handles are not recognized: their writes bypass the guard, as TypeGuard and MemGuard report.
 *     Remembered handles are held weakly; a program that makes handles in a loop and keeps them alive keeps an entry
 *     each.
 * @since 0.1
 */
public final class HandleWrites {

  /** A remembered handle and its field. */
  private record Entry(WeakReference<Object> handle, Class<?> declaring, String name, boolean isStatic) {
  }

  /** Copy-on-write under the class's monitor; read without a lock by {@link #begin}. */
  private static volatile Entry[] entries = new Entry[0];

  private HandleWrites() {
  }

  /** Remembers that {@code handle} writes the field {@code name} found from {@code refc}, as the lookup found it. */
  public static void remember(final Object handle, final Class<?> refc, final String name, final boolean isStatic) {
    final Field f = find(refc, name);
    if (handle != null && f != null) {
      add(new Entry(new WeakReference<>(handle), f.getDeclaringClass(), name, isStatic));
    }
  }

  /** Remembers that {@code handle} writes {@code field}. */
  public static void remember(final Object handle, final Field field) {
    if (handle != null && field != null) {
      add(new Entry(new WeakReference<>(handle), field.getDeclaringClass(), field.getName(),
          Modifier.isStatic(field.getModifiers())));
    }
  }

  /**
   * Begins the guarded write a call through {@code handle} with first argument {@code target} is about to make, if
   * the handle was remembered and its location is guarded; returns what to pass to {@link #end}, or {@code null}.
   * Never throws for arguments the call itself would reject.
   */
  public static Object begin(final Object handle, final Object target) {
    final Entry e = entryOf(handle);
    if (e == null) {
      return null;
    }
    if (e.isStatic()) {
      final GuardFlag flag = Guards.staticFlag(e.declaring(), e.name());
      if (!flag.armed()) {
        return null;
      }
      Guards.beforeStaticWrite(flag);
      return new BegunWrite(null, flag, e.declaring(), e.name());
    }
    if (target == null || !e.declaring().isInstance(target)) {
      return null;
    }
    final Quid quid = Guards.existingQuid(target);
    if (quid == null) {
      return null;
    }
    Guards.beforeWrite(target, quid, e.declaring(), e.name());
    return new BegunWrite(quid, null, e.declaring(), e.name());
  }

  /**
   * The target of {@code invokeWithArguments(arguments)}: its first argument, or {@code null} when there is none (a
   * static setter, or a call the handle will reject). Reads the array only, which the call reads anyway.
   */
  public static Object firstArgument(final Object[] arguments) {
    return arguments == null || arguments.length == 0 ? null : arguments[0];
  }

  /**
   * Ends the write begun by {@link #begin} ({@code token} non-null). With a {@code null} token and {@code strict},
   * fences and tests again (strict mode, {@link Guards}' {@code @implNote}).
   */
  public static void end(final Object token, final Object handle, final Object target, final boolean strict) {
    if (token instanceof BegunWrite b) {
      b.end();
    } else if (strict && entries.length > 0) {
      VarHandle.fullFence();
      final Object again = begin(handle, target);
      if (again != null) {
        end(again, handle, target, false);
      }
    }
  }

  private static Entry entryOf(final Object handle) {
    for (final Entry e : entries) {
      if (e.handle().get() == handle && handle != null) {
        return e;
      }
    }
    return null;
  }

  private static synchronized void add(final Entry entry) {
    final List<Entry> live = new ArrayList<>(entries.length + 1);
    for (final Entry e : entries) {
      final Object h = e.handle().get();
      if (h == entry.handle().get()) {
        return;
      }
      if (h != null) {
        live.add(e);
      }
    }
    live.add(entry);
    entries = live.toArray(new Entry[0]);
  }

  /** The field {@code name} as field resolution finds it from {@code refc}: the class, its interfaces, superclasses. */
  private static Field find(final Class<?> refc, final String name) {
    Objects.requireNonNull(name, "name");
    for (Class<?> c = refc; c != null; c = c.getSuperclass()) {
      for (final Field f : c.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return f;
        }
      }
      for (final Class<?> i : c.getInterfaces()) {
        final Field f = find(i, name);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }
}
