package org.quasi.specializer.validate;

/**
 * One specialized method's size: the mean instruction count of the original and of the residual code over the
 * trials that specialized it. What a user reads to find the methods whose residual code did not shrink, and why
 * ({@code quasi specialize} on one of them shows its residual code).
 *
 * @param method   owner binary name, '.', name and descriptor
 * @param trials   the trials that specialized it
 * @param original mean instructions of the original method (its callees not counted)
 * @param residual mean instructions of the residual code
 * @since 0.1
 */
public record MethodSize(String method, int trials, double original, double residual) {

  /** Whether the residual code is smaller than the original on average (what the report's counts count). */
  public boolean smaller() {
    return residual < original;
  }
}
