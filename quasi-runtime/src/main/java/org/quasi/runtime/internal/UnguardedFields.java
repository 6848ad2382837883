package org.quasi.runtime.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The quasi-invariant fields that some loaded code writes without a guard (a class the agent could not weave), and
 * the live {@link FieldGuard}s of every field, so that marking a field reaches each dependent on it, whatever the
 * object.
 *
 * <p>Marking runs a guarded write's slow path (with no store) on every live guard of the field: each dependent is
 * invalidated, and each later registration on the field is made during a "write" that never ends for it
 * ({@link FieldGuard#register} returns {@code -1}), so it is never plugged. The agent marks a class's fields before
 * the class is defined, so before any of its unguarded writes can run.
 *
 * <p>Fields are named by their declaring class's binary name: a same-named class of another loader is distrusted too
 * (conservative). Guards are tracked by weak reference, when made: on the slow paths only (one per object and field
 * that a dependent relied on or a guarded write wrote once the object had a QUID).
 */
public final class UnguardedFields {

  /** Why {@code owner.field} is written without a guard, by {@code owner + "." + field}. */
  private static final Map<String, String> REASONS = new ConcurrentHashMap<>();

  /**
   * The live guards of each field, by owner's binary name, then field name (no key is built on this path, which every
   * new guard takes): weak lists, each under its own monitor. A guard is made once per object and field, so none is
   * listed twice.
   */
  private static final Map<String, Map<String, WeakList<FieldGuard>>> GUARDS = new ConcurrentHashMap<>();

  private UnguardedFields() {
  }

  private static String key(final String owner, final String field) {
    return owner + "." + field;
  }

  /** The guards of {@code owner.field}, the list made when first asked for. */
  private static WeakList<FieldGuard> guards(final String owner, final String field) {
    Map<String, WeakList<FieldGuard>> byField = GUARDS.get(owner);
    if (byField == null) {
      byField = GUARDS.computeIfAbsent(owner, o -> new ConcurrentHashMap<>());
    }
    WeakList<FieldGuard> live = byField.get(field);
    if (live == null) {
      live = byField.computeIfAbsent(field, f -> new WeakList<>());
    }
    return live;
  }

  /** Why {@code owner.field} ({@code owner} a binary name) is written without a guard, or {@code null}. */
  public static String reason(final String owner, final String field) {
    return REASONS.isEmpty() ? null : REASONS.get(key(owner, field));
  }

  /** Remembers a new guard, so that a later {@link #mark} of its field reaches it. */
  static void track(final FieldGuard guard) {
    guards(guard.owner().getName(), guard.field()).add(guard);
  }

  /**
   * Records that {@code owner.field} is written without a guard, for {@code why}, and invalidates every dependent
   * now relying on it; the first reason given stays.
   */
  public static void mark(final String owner, final String field, final String why) {
    final String key = key(owner, field);
    REASONS.putIfAbsent(key, why);
    final List<FieldGuard> live = guards(owner, field).live();
    RuntimeException failure = null;
    for (final FieldGuard g : live) {
      try {
        g.beginWrite(null);
        g.endWrite();
      } catch (RuntimeException e) {
        // beginWrite ended the write itself; the other guards are still reached.
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
