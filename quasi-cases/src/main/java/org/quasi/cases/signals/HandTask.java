package org.quasi.cases.signals;

/**
 * A task of the hand-specialized kernel: a {@link Task} with the cache fields the paper's authors added to
 * {@code task_struct} ({@code last_sig_to}, {@code last_sig}) plus what their hand-folded {@code kp_usr1} had folded
 * into constants, kept here as precomputed facts about the cached (sender, pid, signal).
 */
final class HandTask extends Task {

  /** The task this task last signalled through kill_proc ({@code last_sig_to}), or {@code null}. */
  Task lastSigTo;
  /** The pid it was looked up by. */
  int lastPid;
  /** The signal sent ({@code last_sig}). */
  int lastSig;
  /** {@link HandKernel}'s generation when the entry was filled; another generation means stale. */
  int lastGeneration;
  /** The folded permission test: one of {@link HandKernel}'s {@code PERMITTED}, {@code BY_SUSER}, {@code DENIED}. */
  int lastPermission;
  /** The folded signal-number tests: one of {@link HandKernel}'s {@code PROBE}, {@code ORDINARY}, {@code JOB}. */
  int lastKind;
  /** Whether the target's action makes the signal ignorable when it is neither blocked nor traced. */
  boolean lastIgnorable;
}
