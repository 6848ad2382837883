package org.quasi.cases.signals;

/**
 * One entry of a sigaction table: {@code struct sigaction} without {@code sa_restorer}.
 *
 * <p>The fields are plain and mutable because the kernel writes them in place: {@code sys_sigaction} copies a new
 * action into the entry ({@code *p = new_sa}) and {@code handle_signal} resets a one-shot handler. The entries of a
 * {@link SignalStruct} are created once and never replaced, so a specializer may treat {@code sig.action[i]} as a
 * constant reference and only the three fields below as quasi-invariants. They are written only by
 * {@link Kernel#sysSigaction} and {@code Kernel.handleSignal}.
 */
public final class SigAction {

  /** What to do: a handler, {@link SignalHandler#SIG_DFL} or {@link SignalHandler#SIG_IGN}. */
  SignalHandler handler = SignalHandler.SIG_DFL;

  /** Signals blocked while the handler runs. */
  int mask;

  /** {@code SA_*} flags. */
  int flags;

  /**
   * @return the current handler
   */
  public SignalHandler handler() {
    return handler;
  }

  /**
   * @return the signals blocked while the handler runs
   */
  public int mask() {
    return mask;
  }

  /**
   * @return the {@code SA_*} flags
   */
  public int flags() {
    return flags;
  }
}
