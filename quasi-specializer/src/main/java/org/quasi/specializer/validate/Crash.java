package org.quasi.specializer.validate;

/**
 * A failure of the specializer or of the harness itself on one trial (never a failure of the validated library):
 * an exception other than a decline, or a specialization that did not finish in time.
 *
 * @param method    owner binary name, '.', name and descriptor
 * @param trialSeed the seed that redraws the trial
 * @param stage     where it happened: "specialize", "harness"
 * @param what      the throwable (class and message) and its first stack frames, or the time-out
 * @since 0.1
 */
public record Crash(String method, long trialSeed, String stage, String what) {
}
