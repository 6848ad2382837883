package org.quasi.versions;

import org.quasi.runtime.Guards;
import org.quasi.runtime.Quid;
import org.quasi.runtime.QuidHolder;

/** A filter rule as quasi-agent weaves it ({@code port} quasi-invariant), written by hand for this module's tests. */
public final class Rule implements QuidHolder {

  private volatile Quid $quasi$quid;

  public int port;

  /** Relied on only by {@link UnguardedFieldEntryTest}, which marks it as written without a guard (for the JVM's life). */
  public int limit;

  public Rule(final int port) {
    this.port = port;
  }

  @Override
  public Quid $quasi$quid() {
    return $quasi$quid;
  }

  @Override
  public void $quasi$setQuid(final Quid quid) {
    $quasi$quid = quid;
  }

  /** The woven form of {@code this.port = p}. */
  public void setPort(final int p) {
    final Quid q = $quasi$quid;
    if (q == null) {
      port = p;
    } else {
      Guards.beforeWrite(this, q, Rule.class, "port");
      port = p;
      Guards.afterWrite(q, Rule.class, "port");
    }
  }
}
