package org.quasi.specializer.validate.sample;

import java.util.List;

/** Methods the validator's side-effect policy must skip, and plain ones beside them that it must validate. */
public final class Effects {
  private static int counter;

  private Effects() {
  }

  /** Writes global state: skipped. */
  public static int count(final int by) {
    counter += by;
    return counter;
  }

  /** Does I/O: skipped. */
  public static void print(final String s) {
    System.out.println(s);
  }

  /** Reaches I/O through a helper: skipped. */
  public static void printTwice(final String s) {
    print(s);
    print(s);
  }

  /** Reaches I/O in a lambda's body, which runs where the list calls it: skipped. */
  public static void printEach(final List<String> items) {
    if (items != null) {
      items.forEach(s -> System.out.println(s));
    }
  }

  /** Reads global state through a method reference: skipped. */
  public static String property(final String key) {
    final java.util.function.UnaryOperator<String> read = System::getProperty;
    return key == null || key.isEmpty() ? null : read.apply(key);
  }

  /**
   * Prints to standard error on its failure path, through a stream read from {@code System.err} and a call on an
   * exception (Rhino's {@code Kit.codeBug}): skipped.
   */
  public static int checked(final int x) {
    if (x < 0) {
      throw bug();
    }
    return x;
  }

  private static RuntimeException bug() {
    final RuntimeException e = new IllegalStateException("failed assertion");
    e.printStackTrace(System.err);
    return e;
  }

  /** Prints a caught exception's stack trace to standard error: skipped. */
  public static int parsed(final String s) {
    try {
      return Integer.parseInt(s);
    } catch (final NumberFormatException e) {
      e.printStackTrace();
      return 0;
    }
  }

  /** Draws randomness: skipped. */
  public static double noise(final double scale) {
    return Math.random() * scale;
  }

  /** Plain: validated. */
  public static int sum(final int[] values, final int from) {
    int s = 0;
    for (int i = Math.max(0, from); values != null && i < values.length; i++) {
      s += values[i];
    }
    return s;
  }

  /** Plain, throws a RuntimeException (no call of java.lang.Runtime): validated. */
  public static int positive(final int x) {
    if (x < 0) {
      throw new RuntimeException("negative: " + x);
    }
    return x;
  }

  /** Plain, mutates its argument: validated, the argument's final state compared. */
  public static int drain(final List<String> items, final String stop) {
    int n = 0;
    while (items != null && !items.isEmpty() && !items.get(0).equals(stop)) {
      items.remove(0);
      n++;
    }
    return n;
  }

  /** Takes a type nothing generates: skipped. */
  public static int threads(final Thread t) {
    return t.getPriority();
  }
}
