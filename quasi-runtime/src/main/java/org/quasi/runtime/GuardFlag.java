package org.quasi.runtime;

import java.lang.invoke.VarHandle;
import org.quasi.runtime.internal.FieldGuard;

/**
 * A one-way flag a woven write site tests before taking a slow path: for a static quasi-invariant field, "some
 * dependent relies on this field"; for a class that could not be woven, "some instance of this class has a QUID in
 * the side table".
 *
 * <p><b>State machine.</b> <em>disarmed → armed</em>, never back: once armed, every guarded write to the field (or to
 * an instance of the class) takes the slow path, which is correct but slower. {@link #armed()} is a volatile read, so
 * the JIT keeps it inside loops, and a write site that reads {@code true} sees every dependent registered before the
 * flag was armed.
 *
 * <p><b>Contract the JIT relies on.</b> Woven classes keep their flags in {@code static final} fields, so the flag
 * object is a constant and {@link #armed()} costs one load.
 *
 * @since 0.1
 */
public final class GuardFlag {

  /** The static field's guard; {@code null} for a class flag of the side table. */
  private final FieldGuard staticGuard;

  /** What this flag is about, for messages. */
  private final String what;

  private volatile boolean armed;

  GuardFlag(final FieldGuard staticGuard, final String what) {
    this.staticGuard = staticGuard;
    this.what = what;
  }

  /** Returns whether the guarded writes this flag covers must take the slow path. */
  public boolean armed() {
    return armed;
  }

  void arm() {
    armed = true;
    // The arming side of strict mode (Guards' @implNote): the flag is ordered before every later load of this
    // thread, even when another thread armed it first.
    VarHandle.fullFence();
  }

  FieldGuard staticGuard() {
    return staticGuard;
  }

  @Override
  public String toString() {
    return "GuardFlag[" + what + (armed ? ", armed]" : "]");
  }
}
