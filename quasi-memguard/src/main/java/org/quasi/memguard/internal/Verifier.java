package org.quasi.memguard.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleProxies;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.quasi.memguard.Mechanism;
import org.quasi.runtime.Version;
import org.quasi.runtime.VersionObserver;
import org.quasi.runtime.internal.FunctionalShape;

/**
 * Mechanism 3 ({@link Mechanism#VERIFIER}) and the automatic protection of dependencies: the {@link VersionObserver}
 * MemGuard installs while enabled.
 *
 * <ul>
 *   <li>Each dependency a version registers is protected (one count, released when the version becomes invalid) and
 *       its value is read and kept.
 *   <li>When {@link #every} is positive, the version is plugged wrapped: every {@code every}-th call through the
 *       wrapper first re-reads each kept dependency, and reports one that changed while the version is still valid
 *       (a guarded write would have invalidated it first) as written by "unknown (seen by the verifier)". The call
 *       then proceeds into the version. This sees writes from anywhere — native code, Unsafe in libraries — but only
 *       at the first checked call after them, so the stack is the caller's, not the writer's.
 * </ul>
 *
 * @implNote The verifier reports; it does not repair: the call still runs the stale version (invalidating it from
 *     inside a call through a counting replugger would wait for itself). A value is reported once per change. The
 *     re-read is a plain read: a write racing with the check may be reported at the next checked call instead. The
 *     wrapper is a {@link MethodHandleProxies} instance, so verified calls are slower than direct ones; the
 *     functional interface must be public (otherwise the version is plugged unwrapped and a line on standard error
 *     says so). Dependencies whose field MemGuard cannot read (a class in a named module that does not open its
 *     package) are protected for the traps but not re-read.
 */
public final class Verifier implements VersionObserver {

  /** One kept dependency: where, and the value the version was specialized under. */
  private static final class Kept {
    final Object object;
    final Field field;
    final String key;
    Object value;

    Kept(final Object object, final Field field, final Object value) {
      this.object = object;
      this.field = field;
      this.key = ProtectedSet.key(field);
      this.value = value;
    }
  }

  private static final MethodHandle CHECK;

  static {
    try {
      CHECK = MethodHandles.lookup().findVirtual(Verifier.class, "check",
          MethodType.methodType(void.class, Version.class, List.class, int[].class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Map<Version<?>, List<Kept>> kept = Collections.synchronizedMap(new WeakHashMap<>());
  private volatile int every;

  /** Verifies every {@code n}-th call of versions plugged from now on ({@code 0}: no verification). */
  public void every(final int n) {
    if (n < 0) {
      throw new IllegalArgumentException("verify every " + n + " calls: expected 0 (off) or a positive count");
    }
    every = n;
  }

  /** The current sampling ({@code 0}: off). */
  public int every() {
    return every;
  }

  @Override
  public void dependencyAdded(final Version<?> version, final Object object, final Class<?> owner,
      final String field) {
    final Field f;
    try {
      f = ProtectedSet.resolve(object == null ? owner : object.getClass(), field, object == null);
    } catch (IllegalArgumentException e) {
      System.err.println("memguard: " + version + " relies on " + owner.getName() + "." + field
          + ", which MemGuard cannot find: " + e.getMessage());
      return;
    }
    if (object == null) {
      Traps.protectedSet().protectField(ProtectedSet.key(f), true);
    } else {
      Traps.protectedSet().protect(object, ProtectedSet.key(f));
    }
    Traps.rearm();
    final List<Kept> list = kept.computeIfAbsent(version, v -> Collections.synchronizedList(new ArrayList<>()));
    if (f.trySetAccessible()) {
      list.add(new Kept(object, f, Traps.readField(f, object)));
    } else {
      list.add(new Kept(object, f, UNREADABLE));
    }
  }

  private static final Object UNREADABLE = new Object();

  @Override
  public <T> T plugging(final Version<T> version, final T code, final Class<T> type) {
    final int n = every;
    if (n <= 0) {
      return code;
    }
    final List<Kept> list = kept.getOrDefault(version, List.of());
    try {
      final FunctionalShape shape = FunctionalShape.of(type);
      final MethodHandle call = shape.virtualHandle(null).bindTo(code);
      final MethodHandle check = MethodHandles.insertArguments(CHECK, 0, this, version, list, new int[] {n, 0});
      return MethodHandleProxies.asInterfaceInstance(type, MethodHandles.foldArguments(call, check));
    } catch (RuntimeException e) {
      System.err.println("memguard: the verifier cannot watch " + version + " (plugged unwrapped): " + e.getMessage());
      return code;
    }
  }

  @Override
  public void invalidated(final Version<?> version) {
    final List<Kept> list = kept.remove(version);
    if (list == null) {
      return;
    }
    synchronized (list) {
      for (final Kept k : list) {
        if (k.object == null) {
          Traps.protectedSet().releaseField(k.key, true);
        } else {
          Traps.protectedSet().release(k.object, k.key);
        }
      }
    }
  }

  /** The wrapper's check: {@code sampling = {every, calls so far}} (a lossy count: sampling need not be exact). */
  @SuppressWarnings("unused") // called through CHECK
  private void check(final Version<?> version, final List<Kept> list, final int[] sampling) {
    if (++sampling[1] < sampling[0]) {
      return;
    }
    sampling[1] = 0;
    synchronized (list) {
      for (final Kept k : list) {
        if (k.value == UNREADABLE) {
          continue;
        }
        final Object now = Traps.readField(k.field, k.object);
        if (!same(k.field, k.value, now) && version.isValid() && Traps.enabled()) {
          Traps.report(Mechanism.VERIFIER, "unknown (seen by the verifier)",
              k.object == null ? "static" : Traps.describe(k.object), k.key, k.value, now);
          k.value = now;
        }
      }
    }
  }

  private static boolean same(final Field field, final Object before, final Object now) {
    return field.getType().isPrimitive() ? before.equals(now) : before == now;
  }
}
