package org.quasi.runtime;

import java.util.Arrays;
import org.quasi.runtime.internal.FieldGuard;

/**
 * A quasi-invariant identifier (the paper's QUID, §3.2.3): attached to one guarded object, it holds, per quasi-invariant
 * field of that object, the {@linkplain Dependent dependents} that rely on the field's value and the field's version
 * stamp.
 *
 * <p><b>Life cycle.</b> An object has no QUID until the first dependent relies on one of its fields; then
 * {@link Guards#quidOf} installs one (in the woven synthetic field, or in the side table for objects whose class was
 * not woven), and it stays for the object's life. While an object has no QUID, a guarded write to it costs one
 * volatile load and a null check; once it has one, every guarded write to one of its quasi-invariant fields takes
 * the slow path ({@link Guards#beforeWrite}, {@link Guards#afterWrite}), which is cheap when no dependent is
 * registered on that particular field (a lock and two increments).
 *
 * <p><b>Threads.</b> Field guards are added copy-on-write under the QUID's monitor and read through a volatile array,
 * so a guarded write never misses a guard added before its slow path started.
 *
 * @since 0.1
 */
public final class Quid {

  /** The per-field guards created so far; small (one per quasi-invariant field relied on), searched linearly. */
  private volatile FieldGuard[] guards = new FieldGuard[0];

  Quid() {
  }

  /** Returns the number of dependents now relying on {@code owner.field} of this QUID's object. */
  public int dependentCount(final Class<?> owner, final String field) {
    final FieldGuard g = existing(owner, field);
    return g == null ? 0 : g.dependentCount();
  }

  /** Returns the guard of {@code owner.field}, or {@code null} when nothing ever relied on that field. */
  FieldGuard existing(final Class<?> owner, final String field) {
    for (final FieldGuard g : guards) {
      if (g.owner() == owner && g.field().equals(field)) {
        return g;
      }
    }
    return null;
  }

  /** Returns the guard of {@code owner.field}, creating it when absent. */
  FieldGuard guard(final Class<?> owner, final String field) {
    final FieldGuard found = existing(owner, field);
    if (found != null) {
      return found;
    }
    synchronized (this) {
      final FieldGuard again = existing(owner, field);
      if (again != null) {
        return again;
      }
      final FieldGuard[] more = Arrays.copyOf(guards, guards.length + 1);
      more[guards.length] = new FieldGuard(owner, field);
      guards = more;
      return more[guards.length - 1];
    }
  }

  @Override
  public String toString() {
    final StringBuilder b = new StringBuilder("Quid[");
    String sep = "";
    for (final FieldGuard g : guards) {
      b.append(sep).append(g.owner().getSimpleName()).append('.').append(g.field()).append('=')
          .append(g.dependentCount());
      sep = ", ";
    }
    return b.append(']').toString();
  }
}
