package org.quasi.cases.signals;

/**
 * Signal numbers, sigaction flags and sigprocmask modes of Linux 2.0 on i386, as the kill path uses them.
 *
 * <p>A signal set is a 32-bit {@code int} whose bit {@code sig - 1} stands for signal {@code sig}, exactly like the
 * kernel's {@code unsigned long signal} and {@code blocked} words; {@link #mask(int)} is the kernel's {@code _S(nr)}.
 * Signal 0 is not a signal but a permission probe, and 32 is the largest number {@code kill} accepts.
 */
public final class Signals {

  /** Hangup. */
  public static final int SIGHUP = 1;
  /** Interrupt from the keyboard. */
  public static final int SIGINT = 2;
  /** Quit from the keyboard; the default action would dump core. */
  public static final int SIGQUIT = 3;
  /** Illegal instruction. */
  public static final int SIGILL = 4;
  /** Trace trap. */
  public static final int SIGTRAP = 5;
  /** Abort (also SIGIOT). */
  public static final int SIGABRT = 6;
  /** Bus error. */
  public static final int SIGBUS = 7;
  /** Floating point exception. */
  public static final int SIGFPE = 8;
  /** Kill: can be neither caught, blocked nor ignored. */
  public static final int SIGKILL = 9;
  /** First user signal: LinuxThreads' restart signal, and the signal of the paper's Table 3. */
  public static final int SIGUSR1 = 10;
  /** Segmentation violation. */
  public static final int SIGSEGV = 11;
  /** Second user signal. */
  public static final int SIGUSR2 = 12;
  /** Broken pipe. */
  public static final int SIGPIPE = 13;
  /** Alarm clock. */
  public static final int SIGALRM = 14;
  /** Termination. */
  public static final int SIGTERM = 15;
  /** Child stopped or exited; ignored by default, and special when explicitly ignored. */
  public static final int SIGCHLD = 17;
  /** Continue a stopped process. */
  public static final int SIGCONT = 18;
  /** Stop: can be neither caught, blocked nor ignored. */
  public static final int SIGSTOP = 19;
  /** Stop from the terminal. */
  public static final int SIGTSTP = 20;
  /** Background read from the terminal. */
  public static final int SIGTTIN = 21;
  /** Background write to the terminal. */
  public static final int SIGTTOU = 22;
  /** Urgent data on a socket; ignored by default. */
  public static final int SIGURG = 23;
  /** Window size change; ignored by default. */
  public static final int SIGWINCH = 28;
  /** Number of signal slots in a sigaction table, and the largest signal number kill accepts. */
  public static final int NSIG = 32;

  /** sa_flags: do not send SIGCHLD when a child stops. */
  public static final int SA_NOCLDSTOP = 1;
  /** sa_flags: restart interrupted system calls. */
  public static final int SA_RESTART = 0x10000000;
  /** sa_flags: do not block the signal while its handler runs (the handler's sa_mask is cleared). */
  public static final int SA_NOMASK = 0x40000000;
  /** sa_flags: reset the handler to SIG_DFL when it is invoked. */
  public static final int SA_ONESHOT = 0x80000000;

  /** sigprocmask: add the set to the blocked signals. */
  public static final int SIG_BLOCK = 0;
  /** sigprocmask: remove the set from the blocked signals. */
  public static final int SIG_UNBLOCK = 1;
  /** sigprocmask: replace the blocked signals by the set. */
  public static final int SIG_SETMASK = 2;

  /** Every signal but SIGKILL and SIGSTOP may be blocked: the kernel's {@code _BLOCKABLE}. */
  public static final int BLOCKABLE = ~(mask(SIGKILL) | mask(SIGSTOP));

  private Signals() {
  }

  /**
   * The one-bit set of a signal, the kernel's {@code _S(nr)}.
   *
   * @param sig a signal number, 1 to 32
   * @return {@code 1 << (sig - 1)}
   */
  public static int mask(final int sig) {
    return 1 << (sig - 1);
  }
}
