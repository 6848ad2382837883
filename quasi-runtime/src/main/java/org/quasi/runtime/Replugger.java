package org.quasi.runtime;

import java.lang.invoke.MethodHandles;
import java.time.Duration;

/**
 * A replaceable function: calls go through {@link #invoker()} to the currently plugged <em>target</em>, and
 * {@link #replug(Object)} swaps the target while other threads may be calling. This is the Replugger of the Synthetix
 * toolkit: when a guard finds a quasi-invariant broken, the version manager replugs the specialized code that relied
 * on it with a generic or a differently specialized version.
 *
 * <p>The "function" is any Java functional interface {@code T} (one abstract method, as for lambdas). Three kinds
 * trade call cost against the guarantees of a replug; the paper's Table 2 says which one a system needs:
 *
 * <table>
 *   <caption>Which replugger a system needs</caption>
 *   <tr><th></th><th>one processor</th><th>several processors</th></tr>
 *   <tr><th>one thread calls</th><td>{@link FunctionPointer}</td><td>{@link SimpleReplugger}</td></tr>
 *   <tr><th>many threads call</th><td>{@link SimpleReplugger}</td><td>{@link CountingReplugger}</td></tr>
 * </table>
 *
 * <ul>
 *   <li>{@link FunctionPointer}: a plain field. Safe only when the thread that plugs is the thread that calls.</li>
 *   <li>{@link SimpleReplugger}: a call costs what a direct call costs once C2 has compiled the caller; a replug is
 *       slower (it deoptimizes compiled callers). After {@code replug} returns, every new call runs the new target;
 *       calls already running the old one may still be inside it.</li>
 *   <li>{@link CountingReplugger}: a simple replugger that also counts the threads inside each version, so that
 *       {@code replug} returns only when no call is still running the old target.</li>
 * </ul>
 *
 * <p><b>Contract the JIT relies on.</b> The invoker is fast only when it is a constant to the calling code: keep it
 * in a {@code static final} field (or a final field of a record or hidden class that is itself constant). An invoker
 * read from an ordinary field still works, at the cost of an interface call on an unknown receiver.
 *
 * @param <T> the functional interface being replugged
 * @since 0.1
 */
public sealed interface Replugger<T> permits FunctionPointer, SimpleReplugger, CountingReplugger {

  /** The default time {@link CountingReplugger#replug} waits for calls to leave the old version: 10 seconds. */
  Duration DEFAULT_QUIESCENCE_TIMEOUT = Duration.ofSeconds(10);

  /** The functional interface this replugger implements. */
  Class<T> type();

  /**
   * The object callers call. Always the same instance for a replugger; it implements {@link #type()} and forwards
   * each call to the target plugged at the moment of the call. A {@link FunctionPointer} defines it when made; a
   * {@link SimpleReplugger} and a {@link CountingReplugger} define it at the first call of this method.
   */
  T invoker();

  /** The target plugged now. */
  T target();

  /**
   * Plugs {@code newTarget}; the kinds differ in what is guaranteed when this returns (see each class).
   *
   * @throws NullPointerException if {@code newTarget} is null
   * @throws IllegalArgumentException if {@code newTarget} does not implement {@link #type()}
   */
  void replug(T newTarget);

  // -----------------------------------------------------------------------------------------------------------------
  // Factories
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * A function pointer for a public functional interface.
   *
   * @throws IllegalArgumentException if {@code type} is not a functional interface or {@code initial} does not
   *     implement it
   */
  static <T> FunctionPointer<T> functionPointer(final Class<T> type, final T initial) {
    return new FunctionPointer<>(null, type, initial);
  }

  /** A function pointer whose invoker class is defined through {@code lookup} (needed for non-public interfaces). */
  static <T> FunctionPointer<T> functionPointer(final MethodHandles.Lookup lookup, final Class<T> type,
      final T initial) {
    return new FunctionPointer<>(lookup, type, initial);
  }

  /**
   * A simple replugger for a public functional interface visible from Quasi's class loader.
   *
   * @throws IllegalArgumentException if {@code type} is not a functional interface, is not accessible to Quasi, or
   *     {@code initial} does not implement it
   */
  static <T> SimpleReplugger<T> simple(final Class<T> type, final T initial) {
    return new SimpleReplugger<>(null, type, initial);
  }

  /**
   * A simple replugger whose invoker class is defined through {@code lookup}, which must have full privilege access
   * (a {@code MethodHandles.lookup()} of the caller). Quasi gains no access the lookup does not have.
   */
  static <T> SimpleReplugger<T> simple(final MethodHandles.Lookup lookup, final Class<T> type, final T initial) {
    return new SimpleReplugger<>(lookup, type, initial);
  }

  /** A counting replugger for a public functional interface, waiting at most {@link #DEFAULT_QUIESCENCE_TIMEOUT}. */
  static <T> CountingReplugger<T> counting(final Class<T> type, final T initial) {
    return new CountingReplugger<>(null, type, initial, DEFAULT_QUIESCENCE_TIMEOUT);
  }

  /**
   * A counting replugger whose invoker class is defined through {@code lookup} and whose {@code replug} waits at
   * most {@code quiescenceTimeout} for calls to leave the old version.
   */
  static <T> CountingReplugger<T> counting(final MethodHandles.Lookup lookup, final Class<T> type, final T initial,
      final Duration quiescenceTimeout) {
    return new CountingReplugger<>(lookup, type, initial, quiescenceTimeout);
  }
}
