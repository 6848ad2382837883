package org.quasi.bench.replug;

import java.util.function.IntUnaryOperator;

/**
 * The functions the replug benchmarks call: small enough that the call, not the work, is what is measured, and real
 * enough that the JIT cannot fold them away (their input comes from benchmark state).
 *
 * <p>The plugged versions are method references to the very static methods the direct-call baseline calls, so
 * that every row runs the same instructions and differs only in how the call is made.
 */
public final class Affine {

  /** The version plugged first. */
  public static final IntUnaryOperator FIRST = Affine::first;

  /** The version replugged in. */
  public static final IntUnaryOperator SECOND = Affine::second;

  private Affine() {}

  /** {@code 31x + 7}. */
  public static int first(final int x) {
    return 31 * x + 7;
  }

  /** {@code 37x + 11}. */
  public static int second(final int x) {
    return 37 * x + 11;
  }
}
