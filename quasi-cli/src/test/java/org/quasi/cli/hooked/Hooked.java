package org.quasi.cli.hooked;

/**
 * Installs a JVM shutdown hook from its initializer, as agrona's {@code ShutdownSignalBarrier} does (whose hook waits
 * for every barrier ever made to be closed, printing a warning each 10 seconds, for ever).
 */
public final class Hooked {
  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("HOOKED: a library's hook ran")));
  }

  private Hooked() {}

  public static int twice(final int x) {
    return 2 * x;
  }
}
