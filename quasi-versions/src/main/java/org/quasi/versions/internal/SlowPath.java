package org.quasi.versions.internal;

/** What a generated dispatcher calls on a cache miss: the entry point's full dispatch, arguments boxed. */
public interface SlowPath {

  /** Dispatches one call; returns the result boxed ({@code null} for {@code void}). */
  Object call(Object[] args) throws Throwable;
}
