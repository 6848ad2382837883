package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Asks the JVM whether a class's initialization has completed, without initializing it. Java SE has no such query;
 * {@code sun.misc.Unsafe.shouldBeInitialized} (module {@code jdk.unsupported}) answers it on JDK 17 to 21: it
 * returns false only once the class is fully initialized, never while its initializer runs or after it failed.
 * A class once initialized stays so, so the residual code of a class found initialized needs no trigger.
 *
 * @implNote JDK 22 removed {@code shouldBeInitialized}; there, and wherever {@code jdk.unsupported} is missing or
 *     closed, {@link #completed} always answers false and the residual code keeps its initialization triggers
 *     (correct, two instructions larger). The query reads the JVM's state of a class the caller already named; it
 *     grants no access to anything.
 */
final class InitializationQuery {
  /** {@code (Class)boolean}, bound to the Unsafe instance; null when the JVM offers no such query. */
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

  private static MethodHandle find() {
    try {
      final Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      final Field the = unsafeClass.getDeclaredField("theUnsafe");
      the.setAccessible(true);
      final MethodHandle query = MethodHandles.publicLookup().findVirtual(unsafeClass, "shouldBeInitialized",
          MethodType.methodType(boolean.class, Class.class));
      return query.bindTo(the.get(null));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // DontCheck(IllegalCatch): no module, no method (JDK 22+) or no access: the query is simply unavailable.
      return null;
    }
  }
}
