package org.quasi.runtime;

/**
 * Test helper: a dependent that records the cause of its (last) invalidation, for the tests of the writes begun
 * outside woven code ({@link HandleWritesTest}, {@link UnsafeWritesTest}, {@link ReflectiveWritesTest}).
 */
final class CauseRecorder implements Dependent {
  volatile GuardedLocation cause;

  @Override
  public void invalidate(final GuardedLocation c) {
    cause = c;
  }

  @Override
  public boolean isValid() {
    return cause == null;
  }
}
