package org.quasi.specializer.validate.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Stops a thread that runs validated code past its time limit, where the running JDK still can: {@code Thread.stop}
 * throws an asynchronous {@code ThreadDeath} into the thread up to JDK 19, and throws
 * {@link UnsupportedOperationException} from JDK 20 on (the method is looked up reflectively, so the harness compiles
 * and runs on both).
 *
 * <p>Why stopping is acceptable here although it is not in general: the stopped thread runs only code under
 * validation (library code, the specializer or residual code, on arguments drawn for this run) whose result nobody
 * will read; the monitors it holds are released and its {@code finally} blocks run. What it leaves half-done stays
 * half-done: a library class whose static initializer is stopped is erroneous from then on, and its later methods
 * throw {@code NoClassDefFoundError} in the original and in the residual code alike.
 */
final class ThreadStopper {
  /** {@code Thread.stop()}, or null once the JDK said it does not support it. */
  private static volatile Method stop = lookUp();

  private ThreadStopper() {
  }

  /** Returns whether this JDK can still stop threads (as far as is known before trying). */
  static boolean supported() {
    return stop != null;
  }

  /**
   * Asks the JDK to stop {@code t}; returns false when this JDK cannot (it then never tries again). The thread may
   * still take a while to end, or catch the {@code ThreadDeath} and go on: callers wait and look.
   */
  static boolean stop(final Thread t) {
    final Method m = stop;
    if (m == null) {
      return false;
    }
    try {
      m.invoke(t);
      return true;
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof UnsupportedOperationException) {
        stop = null;
      }
      return false;
    } catch (IllegalAccessException | RuntimeException e) {
      stop = null;
      return false;
    }
  }

  private static Method lookUp() {
    if (Runtime.version().feature() >= 20) {
      // From JDK 20 on Thread.stop only throws UnsupportedOperationException.
      return null;
    }
    try {
      return Thread.class.getMethod("stop");
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }
}
