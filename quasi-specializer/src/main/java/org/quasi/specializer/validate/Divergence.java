package org.quasi.specializer.validate;

import java.util.List;

/**
 * A reproducer for a residual method that behaved differently from its original: the method, the trial's seed, the
 * known arguments (index and value, receiver = 0 for instance methods) the specialization was made for, the unknown
 * arguments it was called with, and both outcomes (result or exception type, then the final state of every argument).
 *
 * @param method   owner binary name, '.', name and descriptor
 * @param trialSeed the seed that redraws this trial's split and values
 * @param known    the known arguments as {@code index=value}
 * @param unknown  the unknown arguments as {@code index=value}, in the order the residual code takes them
 * @param original the original's outcome
 * @param residual the residual code's outcome
 * @since 0.1
 */
public record Divergence(String method, long trialSeed, List<String> known, List<String> unknown, String original,
    String residual) {
}
