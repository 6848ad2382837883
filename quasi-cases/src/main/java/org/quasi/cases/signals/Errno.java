package org.quasi.cases.signals;

/**
 * The error numbers the model returns, negated as the kernel returns them ({@code return -EPERM;}).
 */
public final class Errno {

  /** Operation not permitted. */
  public static final int EPERM = 1;
  /** No such process. */
  public static final int ESRCH = 3;
  /** Interrupted system call: what sigsuspend returns once a handler ran. */
  public static final int EINTR = 4;
  /** No child processes. */
  public static final int ECHILD = 10;
  /** Permission denied. */
  public static final int EACCES = 13;
  /** Invalid argument. */
  public static final int EINVAL = 22;

  private Errno() {
  }

  /**
   * Names a kernel return value for messages and reports.
   *
   * @param value a return value of a model system call
   * @return for example {@code "-EPERM"}, or the number itself when it is not an error this model returns
   */
  public static String name(final int value) {
    return switch (value) {
      case -EPERM -> "-EPERM";
      case -ESRCH -> "-ESRCH";
      case -EINTR -> "-EINTR";
      case -ECHILD -> "-ECHILD";
      case -EACCES -> "-EACCES";
      case -EINVAL -> "-EINVAL";
      default -> Integer.toString(value);
    };
  }
}
