package org.quasi.runtime;

/**
 * Implemented by classes the agent weaves (quasi-agent): the accessors of the synthetic QUID field, so that the
 * runtime installs a {@link Quid} without reflection. Application code never implements or calls this interface.
 *
 * <p><b>Contract the woven code relies on.</b> The field behind these accessors is {@code volatile}: a guarded write
 * reads it with a volatile load (which the JIT cannot hoist out of a loop), and {@link Guards#quidOf} stores it with a
 * volatile store before any dependent reads the values it relies on.
 *
 * @since 0.1
 */
public interface QuidHolder {

  /** Returns this object's QUID, or {@code null} when no dependent ever relied on one of its fields. */
  Quid $quasi$quid();

  /** Installs this object's QUID; called once, by {@link Guards#quidOf}, under its lock. */
  void $quasi$setQuid(Quid quid);
}
