package org.quasi.cases.signals;

/**
 * A sigaction table, possibly shared: {@code struct signal_struct}.
 *
 * <p>Tasks cloned with {@code CLONE_SIGHAND} (LinuxThreads' threads) share one table, so a {@code sigaction} by one
 * changes the handlers of all; {@code count} says how many tasks use it. The array and its entries are created here
 * and never replaced.
 */
public final class SignalStruct {

  /** Number of tasks sharing this table. */
  int count = 1;

  /** One entry per signal, index {@code sig - 1}; entries are never replaced, only their fields written. */
  final SigAction[] action = new SigAction[Signals.NSIG];

  /** A table with every signal at SIG_DFL. */
  SignalStruct() {
    for (int i = 0; i < action.length; i++) {
      action[i] = new SigAction();
    }
  }

  /**
   * A private copy of another table, as {@code copy_sighand} makes for a fork without {@code CLONE_SIGHAND}.
   *
   * @param from the table to copy
   * @return a new table with equal entries
   */
  static SignalStruct copyOf(final SignalStruct from) {
    SignalStruct copy = new SignalStruct();
    for (int i = 0; i < copy.action.length; i++) {
      copy.action[i].handler = from.action[i].handler;
      copy.action[i].mask = from.action[i].mask;
      copy.action[i].flags = from.action[i].flags;
    }
    return copy;
  }

  /**
   * @param sig a signal number, 1 to 32
   * @return its entry
   */
  public SigAction action(final int sig) {
    return action[sig - 1];
  }
}
