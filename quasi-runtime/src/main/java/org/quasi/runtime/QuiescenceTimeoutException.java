package org.quasi.runtime;

/**
 * Thrown by {@link CountingReplugger#replug} when calls inside the old version did not all leave it in time.
 *
 * <p>The new target is plugged when this is thrown: every call that started after the replug runs it. What failed is
 * only the promise that the old target has stopped running; the threads named in the message are still inside it
 * (blocked, or in a very long call). A caller that must not proceed while old code runs can retry
 * {@link CountingReplugger#awaitQuiescence}.
 *
 * @since 0.1
 */
public final class QuiescenceTimeoutException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming the replugger, the wait and the threads still inside. */
  public QuiescenceTimeoutException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
