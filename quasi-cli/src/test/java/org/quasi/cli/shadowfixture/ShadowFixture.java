package org.quasi.cli.shadowfixture;

import java.util.Arrays;

/**
 * A program for shadow mode's end-to-end test: methods free of heap writes of several shapes (loops, strings,
 * arrays, exceptions, instance methods reading fields, recursion) called with varying arguments, and methods that
 * write the heap (which must not be probed). It writes a checksum of everything it computed, so the test can tell
 * that shadow mode left the program's output unchanged.
 */
public final class ShadowFixture {
  private final int scale;
  private final String name;
  private int writes;

  public ShadowFixture(final int scale, final String name) {
    this.scale = scale;
    this.name = name;
  }

  /** Reads two fields: free of heap writes. */
  public int scaled(final int x) {
    return x * scale + name.length();
  }

  /** Writes a field: not probed. */
  public int count() {
    return ++writes;
  }

  /** A loop over an array argument. */
  public static long sum(final int[] values, final int from) {
    long s = 0;
    for (int i = from; i < values.length; i++) {
      s += values[i];
    }
    return s;
  }

  /** Allocates and fills its own array: free of heap writes of the caller's heap. */
  public static int[] squares(final int n) {
    final int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = i * i;
    }
    return out;
  }

  /** Throws for some arguments. */
  public static int divide(final int a, final int b) {
    return a / b;
  }

  /** String work. */
  public static String greet(final String who, final int times) {
    final StringBuilder b = new StringBuilder();
    for (int i = 0; i < times; i++) {
      b.append("hi ").append(who).append(i == times - 1 ? "" : ", ");
    }
    return b.toString().toUpperCase();
  }

  /** Recursion. */
  public static long fib(final int n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
  }

  /** Writes into its argument: not probed. */
  public static void clear(final int[] values) {
    Arrays.fill(values, 0);
  }

  /** Args: rounds (default 200), and a file to write the checksum to (default: standard output). */
  public static void main(final String[] args) throws java.io.IOException {
    final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long check = 0;
    final ShadowFixture f = new ShadowFixture(3, "fixture");
    for (int r = 0; r < rounds; r++) {
      check += f.scaled(r);
      check += f.count();
      final int[] sq = squares(r % 17);
      check += sum(sq, r % 3);
      try {
        check += divide(r, r % 5);
      } catch (ArithmeticException e) {
        check += 7;
      }
      check += greet("n" + r, r % 4).hashCode();
      check += fib(r % 15);
      final int[] copy = sq.clone();
      clear(copy);
      check += sum(copy, 0);
    }
    if (args.length > 1) {
      java.nio.file.Files.writeString(java.nio.file.Path.of(args[1]), "checksum " + check + "\n");
    } else {
      System.out.println("checksum " + check);
    }
  }
}
