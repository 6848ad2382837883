package org.quasi.specializer;

/**
 * Limits that make specialization terminate quickly. Exceeding a budget yields less specialization (knowledge is
 * lifted to unknown, calls are left residual), never a failure.
 *
 * @param polyvariance     specialized variants per program point that joins several paths, before knowledge is lifted
 * @param unrolling        specialized variants per loop header, i.e. loop iterations unrolled when control is known
 * @param callDepth        nesting depth of inlined calls (deeper known calls become specialized methods)
 * @param residualInstructions residual instructions after which everything still to do is specialized generically
 * @since 0.1
 */
public record Budgets(int polyvariance, int unrolling, int callDepth, int residualInstructions) {

  /** The defaults: 8 variants per join, 256 unrolled iterations per loop, depth 10, 12000 instructions. */
  public static final Budgets DEFAULT = new Budgets(8, 256, 10, 12_000);

  /** Budgets that specialize nothing beyond straight-line folding; used as a fallback for huge residual code. */
  public static final Budgets MINIMAL = new Budgets(1, 1, 0, 0);

  public Budgets {
    if (polyvariance < 1 || unrolling < 1 || callDepth < 0 || residualInstructions < 0) {
      throw new IllegalArgumentException("Budgets must be positive (polyvariance and unrolling at least 1), got "
          + polyvariance + ", " + unrolling + ", " + callDepth + ", " + residualInstructions);
    }
  }
}
