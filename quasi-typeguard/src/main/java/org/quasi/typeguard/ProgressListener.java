package org.quasi.typeguard;

/**
 * Told how far a long analysis has come, for a progress bar. Called from analysis threads, possibly concurrently;
 * {@code done} only grows.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores progress. */
  ProgressListener NONE = (done, total) -> { };

  /**
   * Reports progress.
   *
   * @param done classes analysed so far
   * @param total classes to analyse
   */
  void progress(long done, long total);
}
