package org.quasi.bench;

/**
 * The patterns a caller gave to narrow a {@link BenchGroup} ({@code ./quasi bench NAME --only REGEX}) leave none of
 * its benchmarks. It is the only exception {@link BenchRun#benchmarks()} throws for its caller's input, so a tool can
 * tell that mistake (a usage error) from a fault of the build or of JMH (an internal one). The message names the
 * group's benchmarks.
 *
 * @since 0.1
 */
public final class NoMatchingBenchmarkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoMatchingBenchmarkException(final String message) {
    super(message);
  }
}
