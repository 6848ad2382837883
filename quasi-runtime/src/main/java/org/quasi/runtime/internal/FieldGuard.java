package org.quasi.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import org.quasi.runtime.Dependent;
import org.quasi.runtime.GuardedLocation;

/**
 * The guard of one quasi-invariant location (a field of one object, or a static field): the dependents that rely on
 * it, and a version stamp.
 *
 * <p><b>Stamp.</b> {@link #epoch} grows by one when a guarded write begins and again when it ends; {@link #writers}
 * counts the writes in progress. A registration records the epoch (or {@code -1} when a write is in progress); it is
 * {@linkplain #unchangedSince unchanged} while no write began since. Every method runs under this object's monitor,
 * so a registration and a write's {@link #beginWrite} are totally ordered: either the write's snapshot of dependents
 * contains the new dependent (and invalidates it), or the registration saw the write in progress, or the write ended
 * before (and, the lock giving happens-before, the dependent's re-read of the value sees what it wrote).
 */
public final class FieldGuard {

  /** The class declaring the guarded field. */
  private final Class<?> owner;

  /** The guarded field's name. */
  private final String field;

  /** Dependents registered since the last write began; replaced, not cleared, when a write takes them. */
  private List<Dependent> dependents = new ArrayList<>();

  /** Bumped at the beginning and at the end of each guarded write. */
  private long epoch;

  /** Guarded writes in progress (between {@link #beginWrite} and {@link #endWrite}). */
  private int writers;

  /**
   * A guard for the field {@code owner.field}. It never refers to the guarded object (the side table's values must not
   * keep their keys alive); writes pass it.
   */
  public FieldGuard(final Class<?> owner, final String field) {
    this.owner = owner;
    this.field = field;
    UnguardedFields.track(this);
  }

  /** The class declaring the guarded field. */
  public Class<?> owner() {
    return owner;
  }

  /** The guarded field's name. */
  public String field() {
    return field;
  }

  /**
   * Registers {@code dependent}; returns the epoch now, or {@code -1} when a guarded write is in progress or some
   * loaded code writes the field without a guard ({@link UnguardedFields}).
   */
  public synchronized long register(final Dependent dependent) {
    dependents.add(dependent);
    return writers > 0 || UnguardedFields.reason(owner.getName(), field) != null ? -1 : epoch;
  }

  /** Removes {@code dependent} (a discarded or invalidated version), if it is still registered. */
  public synchronized void unregister(final Dependent dependent) {
    dependents.removeIf(d -> d == dependent);
  }

  /** Returns whether no guarded write began since {@code registeredEpoch} was returned by {@link #register}. */
  public synchronized boolean unchangedSince(final long registeredEpoch) {
    return registeredEpoch >= 0 && writers == 0 && epoch == registeredEpoch;
  }

  /** How many dependents are registered now. */
  public synchronized int dependentCount() {
    return dependents.size();
  }

  /**
   * Begins a guarded write on {@code object} (the written object; {@code null} for a static field): bumps the stamp, takes
   * every registered dependent and invalidates each, outside the lock. If an invalidation throws, the write is ended
   * (the stamp stays consistent) and the first exception is rethrown after every dependent was attempted.
   */
  public void beginWrite(final Object object) {
    final List<Dependent> taken;
    synchronized (this) {
      writers++;
      epoch++;
      taken = dependents;
      dependents = new ArrayList<>();
    }
    if (taken.isEmpty()) {
      return;
    }
    final GuardedLocation cause = new GuardedLocation(object, owner, field);
    RuntimeException failure = null;
    for (final Dependent d : taken) {
      try {
        d.invalidate(cause);
      } catch (RuntimeException | Error e) {
        if (failure == null) {
          failure = e instanceof RuntimeException r ? r : new IllegalStateException(
              "invalidating " + d + " for a write to " + cause + " failed", e);
        }
      }
    }
    if (failure != null) {
      endWrite();
      throw failure;
    }
  }

  /** Ends a guarded write begun by {@link #beginWrite}, after the woven code stored the new value. */
  public synchronized void endWrite() {
    if (writers == 0) {
      throw new IllegalStateException("guarded write to " + owner.getName() + "." + field
          + " ended without having begun");
    }
    writers--;
    epoch++;
  }
}
