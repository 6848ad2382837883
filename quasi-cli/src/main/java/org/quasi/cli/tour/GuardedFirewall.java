package org.quasi.cli.tour;

import java.lang.invoke.MethodHandles;
import org.quasi.runtime.QuasiInvariant;

/**
 * The firewall configuration of tour chapter 3, declared with {@link QuasiInvariant}: the chapter loads it woven by
 * quasi-agent, so its setters are guarded writes.
 */
public final class GuardedFirewall implements GuardsChapter.Config {

  @QuasiInvariant
  int low;

  @QuasiInvariant
  int high;

  @QuasiInvariant
  int blocked;

  public GuardedFirewall(final int low, final int high, final int blocked) {
    this.low = low;
    this.high = high;
    this.blocked = blocked;
  }

  /** A guarded write once woven. */
  @Override
  public void block(final int port) {
    blocked = port;
  }

  /** The generic filter. */
  public static boolean accept(final GuardedFirewall cfg, final int port) {
    return port >= cfg.low && port <= cfg.high && port != cfg.blocked;
  }

  /** This class's own lookup: how the woven copy grants the specializer access. */
  public static MethodHandles.Lookup lookup() {
    return MethodHandles.lookup();
  }
}
