package org.quasi.runtime;

import org.quasi.runtime.internal.FieldGuard;

/**
 * A dependent's registration on one guarded location, with the location's version stamp at registration: the way to
 * check, at plug time, that no guarded write to the location began since (see {@link Guards#register}).
 *
 * @since 0.1
 */
public final class GuardRegistration {

  private final FieldGuard guard;
  private final Dependent dependent;
  private final long epoch;

  GuardRegistration(final FieldGuard guard, final Dependent dependent, final long epoch) {
    this.guard = guard;
    this.dependent = dependent;
    this.epoch = epoch;
  }

  /**
   * Returns whether no guarded write to the location was in progress at registration nor began since. When this
   * returns {@code true}, any later write will invalidate the dependent before it lands.
   */
  public boolean unchanged() {
    return guard.unchangedSince(epoch);
  }

  /** Removes the dependent from the location (it was discarded or invalidated); harmless when already removed. */
  public void cancel() {
    guard.unregister(dependent);
  }

  @Override
  public String toString() {
    return guard.owner().getName() + "." + guard.field() + (epoch < 0 ? " (registered during a write)" : "");
  }
}
