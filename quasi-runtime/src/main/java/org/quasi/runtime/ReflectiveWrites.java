package org.quasi.runtime;

import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Guarded reflective writes: what quasi-agent weaves around each {@code Field.set*} call site. The call itself stays
 * where it was, made by the same class with the same arguments, so its access checks, exceptions and effect are
 * exactly the original's; the woven code brackets it:
 * <pre>{@code
 * Object token = ReflectiveWrites.begin(field, target);   // slow path begun, or null
 * try { field.setInt(target, v); }                        // the original call
 * catch (Throwable t) { ReflectiveWrites.end(token, field, target, false); throw t; }
 * ReflectiveWrites.end(token, field, target, strict);
 * }</pre>
 * {@link #begin} reads only what {@link Field} tells anyone (declaring class, name, modifiers): it grants no access.
 * When the field is a static field whose guard flag is armed, or an instance field of a target that has a QUID, it
 * runs {@link Guards#beforeStaticWrite} or {@link Guards#beforeWrite} (invalidating the dependents of that location)
 * and returns the flag or QUID; {@link #end} then ends the write. A call that fails (no access, wrong target type,
 * final field) ends the write all the same: its dependents were invalidated for nothing, which is correct, only slower.
 *
 * <p>The runtime does not know the spec, so any field of an object with a QUID counts as guarded here; a field no
 * dependent relies on has no dependent to invalidate, and its slow path is a lock and two increments.
 *
 * @implNote A reflective write's test reads the QUID once before the call, like the default mode's guarded write, so
 *     the same first-install race exists; with {@code strict} (woven in strict mode) {@link #end} closes it as
 *     {@link Guards} describes, with a full fence and a second test after a call that found no QUID.
 * @since 0.1
 */
public final class ReflectiveWrites {

  private ReflectiveWrites() {
  }

  /**
   * Begins the guarded write {@code field.set*(target, …)} is about to make, if it writes a guarded location; returns
   * what to pass to {@link #end}, or {@code null}. Never throws for arguments the call itself would reject: it
   * leaves the rejection to the call.
   */
  public static Object begin(final Field field, final Object target) {
    if (field == null) {
      return null;
    }
    final Class<?> declaring = field.getDeclaringClass();
    if (Modifier.isStatic(field.getModifiers())) {
      final GuardFlag flag = Guards.staticFlag(declaring, field.getName());
      if (!flag.armed()) {
        return null;
      }
      Guards.beforeStaticWrite(flag);
      return flag;
    }
    if (target == null || !declaring.isInstance(target)) {
      return null;
    }
    final Quid quid = Guards.existingQuid(target);
    if (quid == null) {
      return null;
    }
    Guards.beforeWrite(target, quid, declaring, field.getName());
    return quid;
  }

  /**
   * Ends the write begun by {@link #begin} ({@code token} non-null). With a {@code null} token and {@code strict},
   * fences and tests again: a QUID or flag that appeared meanwhile gets its dependents invalidated.
   */
  public static void end(final Object token, final Field field, final Object target, final boolean strict) {
    if (token instanceof GuardFlag flag) {
      Guards.afterStaticWrite(flag);
    } else if (token instanceof Quid quid) {
      Guards.afterWrite(quid, field.getDeclaringClass(), field.getName());
    } else if (strict && field != null) {
      VarHandle.fullFence();
      final Object again = begin(field, target);
      if (again != null) {
        end(again, field, target, false);
      }
    }
  }
}
