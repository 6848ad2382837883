package org.quasi.runtime;

/**
 * Something that relies on the value of guarded locations: a specialized version of a function. A guarded write to a
 * location calls {@link #invalidate} on every dependent registered on it (see {@link Guards#register}) before the
 * write lands.
 *
 * <p><b>State machine.</b> A dependent is <em>valid</em> until its first {@code invalidate}; it never becomes valid
 * again (a re-specialization is a new dependent). {@code invalidate} may be called more than once, by several
 * threads at once (two writers to two locations it relies on); every call after the first must be harmless.
 *
 * <p><b>Threads.</b> {@code invalidate} runs in the writing thread, inside the guarded write, with no Quasi lock held.
 * It must return only when no call can any more observe the old value through this dependent; for a plugged version
 * that means it has replugged (and, with a {@link CountingReplugger}, waited until no call is inside the old code).
 * The write itself is performed after every dependent's {@code invalidate} returned.
 *
 * <p><b>Failure.</b> An exception thrown by {@code invalidate} propagates to the writing code; the write does not
 * happen, and the other dependents of the same location have still been invalidated first (their invalidations are
 * attempted before the first failure is rethrown).
 *
 * @since 0.1
 */
public interface Dependent {

  /**
   * Invalidates this dependent because {@code cause} is about to be written.
   *
   * @param cause the location whose guarded write fired
   */
  void invalidate(GuardedLocation cause);

  /** Returns whether this dependent has not been invalidated yet. */
  boolean isValid();
}
