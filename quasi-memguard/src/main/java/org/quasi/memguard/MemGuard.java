package org.quasi.memguard;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.Objects;
import org.quasi.memguard.internal.ProtectedSet;
import org.quasi.memguard.internal.Traps;
import org.quasi.memguard.internal.Verifier;
import org.quasi.runtime.GuardFlag;
import org.quasi.runtime.Guards;
import org.quasi.runtime.Quid;
import org.quasi.runtime.Version;

/**
 * MemGuard, the paper's Figure 1 (§3.3–3.4): protect quasi-invariant locations, and have every write to them that
 * bypasses a guard reported with the code that made it, so that a developer can iterate — add the guard, rerun —
 * until MemGuard stays silent.
 *
 * <pre>{@code
 * MemGuard.enable();
 * MemGuard.protect(config, "limit");          // this object's field
 * MemGuard.protect(Config.class, "DEFAULT");  // a static field
 * MemGuard.protect(table, 3);                 // an array element
 * ...                                         // writes by any other path are logged: MemGuard.log()
 * MemGuard.write(MethodHandles.lookup(), config, "limit", 20);   // the sanctioned write: a guarded write, not reported
 * }</pre>
 * ({@code MemGuardTest#figureOne} runs this.)
 *
 * <p><b>Where it lives.</b> This facade, the protected set and the traps are in quasi-memguard, which the
 * application's class path gets from the MemGuard agent ({@code -javaagent:quasi-memguard-agent.jar=memguard...}, see
 * {@code MemGuardAgent}); trapped code in any class loader that delegates to the application loader calls the same
 * {@code Traps} class. quasi-runtime holds only the {@code VersionObserver} hook, so applications that never use
 * MemGuard link nothing of it.
 *
 * <p><b>Mechanisms.</b> Agent traps report at the write ({@link Mechanism#AGENT_TRAP}); the verifier
 * ({@link #verifyEvery}) reports at the next checked call of a specialized version whose dependency changed
 * ({@link Mechanism#VERIFIER}); the JDWP watch is quasi-memguard's {@code jdi} package. While enabled, every
 * dependency a {@link Version} registers (the specialized entry points of quasi-versions) is protected until the
 * version becomes invalid.
 *
 * <p><b>Cost.</b> Disabled, or with nothing protected, a trapped site pays one static volatile read. Protecting takes
 * a lock. Protections count: protecting twice needs two releases.
 *
 * @since 0.1
 */
public final class MemGuard {

  private static final Verifier VERIFIER = new Verifier();

  private MemGuard() {
  }

  /** Starts checking: traps report, and versions protect (and, with {@link #verifyEvery}, verify) their dependencies. */
  public static void enable() {
    Version.observe(VERIFIER);
    Traps.enable(true);
  }

  /** Stops checking; protections are kept for the next {@link #enable}. */
  public static void disable() {
    Traps.enable(false);
    Version.observe(null);
  }

  /** Whether MemGuard is enabled. */
  public static boolean isEnabled() {
    return Traps.enabled();
  }

  /**
   * Has the verifier re-read each dependency on every {@code n}-th call of versions plugged from now on
   * ({@code 0} turns it off).
   *
   * @throws IllegalArgumentException if {@code n} is negative
   */
  public static void verifyEvery(final int n) {
    VERIFIER.every(n);
  }

  /** The log every mechanism of this JVM reports to. */
  public static MemGuardLog log() {
    return Traps.log();
  }

  // -----------------------------------------------------------------------------------------------------------------
  // protect / release
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Protects instance field {@code field} of {@code object} (declared by its class or a superclass).
   *
   * @throws IllegalArgumentException naming the nearest fields when there is no such instance field
   */
  public static void protect(final Object object, final String field) {
    Traps.protectedSet().protect(notArray(object), instanceKey(object, field));
    Traps.rearm();
  }

  /** Protects static field {@code field} of {@code owner} (declared there or in a superclass). */
  public static void protect(final Class<?> owner, final String field) {
    Traps.protectedSet().protectField(ProtectedSet.key(ProtectedSet.resolve(owner, field, true)), true);
    Traps.rearm();
  }

  /**
   * Protects element {@code index} of {@code array}.
   *
   * @throws IllegalArgumentException if {@code array} is not an array or {@code index} is out of its bounds
   */
  public static void protect(final Object array, final int index) {
    checkElement(array, index);
    Traps.protectedSet().protect(array, ProtectedSet.key(index));
    Traps.rearm();
  }

  /** Protects instance field {@code field} of {@code owner} on every instance, present and future. */
  public static void protectEveryInstance(final Class<?> owner, final String field) {
    Traps.protectedSet().protectField(ProtectedSet.key(ProtectedSet.resolve(owner, field, false)), false);
    Traps.rearm();
  }

  /**
   * Protects the field a spec entry names ({@code owner} as a {@code getfield} would name it, binary name) on every
   * instance, or the static field; resolved against each written object's class when a write is checked, so the
   * class need not be loaded yet. What {@code ./quasi memguard --spec FILE} does for each entry.
   *
   * @implNote For a static field, {@code owner} must be the declaring class or the class the writing instruction
   *     names.
   */
  public static void protectSpecEntry(final String owner, final String field) {
    Traps.protectedSet().protectNamed(Objects.requireNonNull(owner, "owner"), Objects.requireNonNull(field, "field"));
    Traps.rearm();
  }

  /** Removes the protection added by {@link #protectSpecEntry}; returns whether there was one. */
  public static boolean releaseSpecEntry(final String owner, final String field) {
    return Traps.protectedSet().releaseNamed(owner, field);
  }

  /** Removes one protection of {@code object}'s field; returns whether there was one. */
  public static boolean release(final Object object, final String field) {
    return Traps.protectedSet().release(notArray(object), instanceKey(object, field));
  }

  /** Removes one protection of a static field; returns whether there was one. */
  public static boolean release(final Class<?> owner, final String field) {
    return Traps.protectedSet().releaseField(ProtectedSet.key(ProtectedSet.resolve(owner, field, true)), true);
  }

  /** Removes one protection of an array element; returns whether there was one. */
  public static boolean release(final Object array, final int index) {
    checkElement(array, index);
    return Traps.protectedSet().release(array, ProtectedSet.key(index));
  }

  /** Removes one protection added by {@link #protectEveryInstance}; returns whether there was one. */
  public static boolean releaseEveryInstance(final Class<?> owner, final String field) {
    return Traps.protectedSet().releaseField(ProtectedSet.key(ProtectedSet.resolve(owner, field, false)), false);
  }

  /** Whether {@code object}'s field is protected (by itself or on every instance). */
  public static boolean isProtected(final Object object, final String field) {
    return Traps.protectedSet().isProtected(notArray(object), instanceKey(object, field));
  }

  // -----------------------------------------------------------------------------------------------------------------
  // The sanctioned write
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Writes {@code value} into {@code object}'s field as a guarded write: every specialization that relies on it is
   * invalidated first (quasi-runtime's {@code Guards} protocol), and the write is not reported. Access is what
   * {@code lookup} has: this method grants none of its own.
   *
   * @throws IllegalAccessException if {@code lookup} cannot write the field
   * @throws ClassCastException if {@code value} does not fit the field's type
   */
  public static void write(final MethodHandles.Lookup lookup, final Object object, final String field,
      final Object value) throws IllegalAccessException {
    final Field f = ProtectedSet.resolve(notArray(object).getClass(), field, false);
    final VarHandle handle = lookup.unreflectVarHandle(f);
    final Quid quid = Guards.existingQuid(object);
    if (quid == null) {
      handle.set(object, value);
      return;
    }
    Guards.beforeWrite(object, quid, f.getDeclaringClass(), f.getName());
    try {
      handle.set(object, value);
    } finally {
      Guards.afterWrite(quid, f.getDeclaringClass(), f.getName());
    }
  }

  /** Writes static field {@code owner.field} as a guarded write; see {@link #write(MethodHandles.Lookup, Object, String, Object)}. */
  public static void write(final MethodHandles.Lookup lookup, final Class<?> owner, final String field,
      final Object value) throws IllegalAccessException {
    final Field f = ProtectedSet.resolve(owner, field, true);
    final VarHandle handle = lookup.unreflectVarHandle(f);
    final GuardFlag flag = Guards.staticFlag(f.getDeclaringClass(), f.getName());
    if (!flag.armed()) {
      handle.set(value);
      return;
    }
    Guards.beforeStaticWrite(flag);
    try {
      handle.set(value);
    } finally {
      Guards.afterStaticWrite(flag);
    }
  }

  /**
   * Writes element {@code index} of {@code array}, not reported. (quasi-runtime guards no array element, so there is
   * no dependent to invalidate: specialized entry points decline dependencies on array elements.)
   */
  public static void write(final Object array, final int index, final Object value) {
    checkElement(array, index);
    Array.set(array, index, value);
  }

  // -----------------------------------------------------------------------------------------------------------------

  private static Object notArray(final Object object) {
    Objects.requireNonNull(object, "object");
    if (object.getClass().isArray()) {
      throw new IllegalArgumentException("a " + object.getClass().getSimpleName()
          + " has no fields: protect an element with protect(array, index)");
    }
    return object;
  }

  private static String instanceKey(final Object object, final String field) {
    return ProtectedSet.key(ProtectedSet.resolve(object.getClass(), Objects.requireNonNull(field, "field"), false));
  }

  private static void checkElement(final Object array, final int index) {
    Objects.requireNonNull(array, "array");
    if (!array.getClass().isArray()) {
      throw new IllegalArgumentException(array.getClass().getName() + " is not an array: protect a field by name");
    }
    final int length = Array.getLength(array);
    if (index < 0 || index >= length) {
      throw new IllegalArgumentException("index " + index + " is out of the bounds of a "
          + array.getClass().getComponentType().getName() + "[" + length + "]");
    }
  }
}
