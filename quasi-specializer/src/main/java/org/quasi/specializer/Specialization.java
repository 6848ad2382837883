package org.quasi.specializer;

import java.util.List;
import java.util.Objects;

/**
 * A specialization: the residual code, defined as a hidden class and exposed as an instance of the requested
 * functional interface, and what it relies on.
 *
 * <p>The function stays correct as long as all {@link #dependencies()} hold. The specializer does not watch them:
 * guards do (the version manager consumes the dependencies to invalidate and respecialize on guarded writes).
 *
 * @param <T> the functional interface type
 * @since 0.1
 */
public final class Specialization<T> {
  private final T function;
  private final ResidualCode code;

  Specialization(final T function, final ResidualCode code) {
    this.function = Objects.requireNonNull(function, "function");
    this.code = code;
  }

  /**
   * Returns the residual code as the functional interface. To let the JIT inline it, keep it in a
   * {@code static final} field (or a field the JIT trusts as constant).
   */
  public T function() {
    return function;
  }

  /** Returns the heap facts the residual code relies on, in the order they were first read. */
  public List<Dependency> dependencies() {
    return code.dependencies();
  }

  /** Returns what specialization did, in numbers. */
  public SpecializationSummary summary() {
    return code.summary();
  }

  /** Returns the residual method as readable bytecode. */
  public String dump() {
    return code.dump();
  }

  /** Returns the description of the residual code. */
  public ResidualCode residual() {
    return code;
  }
}
