package org.quasi.cases.signals;

/**
 * A user-mode signal handler: what {@code sa_handler} points to.
 *
 * <p>The kernel runs it synchronously on the target's way back to user mode (see {@code Kernel.doSignal}); it runs
 * with the target as {@code current} and with the signal's {@code sa_mask} added to the blocked set, exactly as a
 * real handler runs between {@code setup_frame} and {@code sigreturn}. A handler is user code: it may read and write
 * user memory (fields of the program that installed it) and make non-blocking system calls, but it must not block.
 *
 * <p>{@link #SIG_DFL} and {@link #SIG_IGN} are the two special values of the C API; the kernel compares handlers by
 * identity, as it compares function pointers.
 */
public interface SignalHandler {

  /** The default action of the signal (ignore, stop or terminate, depending on the signal). */
  SignalHandler SIG_DFL = new Special("SIG_DFL");

  /** Ignore the signal. */
  SignalHandler SIG_IGN = new Special("SIG_IGN");

  /**
   * Runs the handler.
   *
   * @param kernel the kernel the signal was delivered by
   * @param self   the task the handler runs in (the kernel's {@code current})
   * @param sig    the signal number
   */
  void handle(Kernel kernel, Task self, int sig);

  /**
   * A name that identifies the handler across kernels, so two kernels' states can be compared.
   *
   * @return the handler's name
   */
  String name();

  /** The two special handler values; invoking one is a kernel bug, never a user action. */
  final class Special implements SignalHandler {

    /** {@code SIG_DFL} or {@code SIG_IGN}. */
    private final String name;

    private Special(final String name) {
      this.name = name;
    }

    @Override
    public void handle(final Kernel kernel, final Task self, final int sig) {
      throw new IllegalStateException(name + " is not a function: the kernel tried to invoke it for signal "
          + sig + " in pid " + self.pid());
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
