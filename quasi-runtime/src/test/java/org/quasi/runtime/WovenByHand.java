package org.quasi.runtime;

/**
 * What quasi-agent makes of a class with one quasi-invariant instance field and one static one, written by hand: the
 * synthetic QUID field and accessors, the static flag, and the guarded write sequences documented in {@link Guards}.
 */
final class WovenByHand implements QuidHolder {

  static final GuardFlag $quasi$flag$limit = Guards.staticFlag(WovenByHand.class, "limit");

  static int limit = 10;

  private volatile Quid $quasi$quid;

  int port;

  WovenByHand(final int port) {
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

  /** The woven form of {@code this.port = value}. */
  void setPort(final int value) {
    final Quid q = $quasi$quid;
    if (q == null) {
      port = value;
    } else {
      Guards.beforeWrite(this, q, WovenByHand.class, "port");
      port = value;
      Guards.afterWrite(q, WovenByHand.class, "port");
    }
  }

  /** The woven form of {@code limit = value}. */
  static void setLimit(final int value) {
    if ($quasi$flag$limit.armed()) {
      Guards.beforeStaticWrite($quasi$flag$limit);
      limit = value;
      Guards.afterStaticWrite($quasi$flag$limit);
    } else {
      limit = value;
    }
  }
}
