package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Asks the JVM whether a class's initialization has completed, without initializing it. Java SE has no such query;
 * two JDK ones answer it, and both return "should be initialized" false only once the class is fully initialized,
 * never while its initializer runs or after it failed:
 *
 * <ul>
 *   <li>{@code sun.misc.Unsafe.shouldBeInitialized} (module {@code jdk.unsupported}), on JDK 17 to 21;
 *   <li>{@code jdk.internal.misc.Unsafe.shouldBeInitialized}, on any JDK, but only when {@code java.base} exports
 *       {@code jdk.internal.misc} to this class's module: {@code quasi.jar}'s manifest asks for that export (an
 *       executable jar's {@code Add-Exports}), and an application that links Quasi may pass
 *       {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}.
 * </ul>
 *
 * A class once initialized stays so, so the residual code of a class found initialized needs no trigger.
 *
 * @implNote Where neither query is available (JDK 22 and later without the export, or no {@code jdk.unsupported}),
 *     {@link #completed} always answers false and the residual code keeps its initialization triggers (correct, two
 *     instructions larger). Quasi never exports the package itself: that would open the JDK's internal
 *     {@code Unsafe} to the application's own code. The query reads the JVM's state of a class the caller already
 *     named; it grants no access to anything.
 */
final class InitializationQuery {
  /** {@code (Class)boolean}, bound to an Unsafe instance; null when the JVM offers no such query. */
  private static final MethodHandle SHOULD_BE_INITIALIZED = find();

  private InitializationQuery() {
  }

  /** Returns whether {@code c}'s initialization is known to have completed (false when it cannot be asked). */
  static boolean completed(final Class<?> c) {
    if (SHOULD_BE_INITIALIZED == null) {
      return false;
    }
    try {
      return !(boolean) SHOULD_BE_INITIALIZED.invokeExact(c);
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a JVM that refuses the query leaves the trigger in place, which is always correct.
      return false;
    }
  }

  /** Whether the JVM answers {@link #completed} at all: false means every answer is false. */
  static boolean available() {
    return SHOULD_BE_INITIALIZED != null;
  }

  private static MethodHandle find() {
    final MethodHandle unsupported = fromUnsupported();
    return unsupported != null ? unsupported : fromInternal();
  }

  private static MethodHandle fromUnsupported() {
    try {
      final Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      final Field the = unsafeClass.getDeclaredField("theUnsafe");
      the.setAccessible(true);
      return query(MethodHandles.publicLookup(), unsafeClass).bindTo(the.get(null));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // DontCheck(IllegalCatch): no module, no method (JDK 22+) or no access: this query is unavailable.
      return null;
    }
  }

  private static MethodHandle fromInternal() {
    if (!Object.class.getModule().isExported("jdk.internal.misc", InitializationQuery.class.getModule())) {
      return null; // asking would only log an illegal-access failure
    }
    try {
      final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
      // Our own lookup: the export is qualified (to this module or to all unnamed ones), which publicLookup ignores.
      final MethodHandles.Lookup lookup = MethodHandles.lookup();
      final Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
      return query(lookup, unsafeClass).bindTo(unsafe);
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a JDK without the method, or a getUnsafe that refuses: this query is unavailable.
      return null;
    }
  }

  private static MethodHandle query(final MethodHandles.Lookup lookup, final Class<?> unsafeClass)
      throws ReflectiveOperationException {
    return lookup.findVirtual(unsafeClass, "shouldBeInitialized", MethodType.methodType(boolean.class, Class.class));
  }
}
