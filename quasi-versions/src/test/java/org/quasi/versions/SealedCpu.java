package org.quasi.versions;

import java.lang.invoke.MethodHandles;

/**
 * A processor whose {@code current} rule is private: a key field only its own lookup may read, so the unstable
 * cache's entry function (defined in this package, not in this class's nest) reads it through a getter.
 */
public final class SealedCpu {

  private Rule current;

  /** This class's own lookup, which may read {@code current}. */
  public static MethodHandles.Lookup lookup() {
    return MethodHandles.lookup();
  }

  /** A context switch. */
  public void switchTo(final Rule next) {
    current = next;
  }

  /** As {@link Cpu#send}. */
  public int send(final int pid, final long sig) {
    return current.port == pid ? (int) sig : -1;
  }
}
