/**
 * Experiment 1: Linux signal delivery (paper §4.1–4.2), as a Java model of Linux 2.0.
 *
 * <h2>The story</h2>
 *
 * <p>A process that keeps signalling the same other process makes the kernel redo the same work every time:
 * {@code sys_kill} dispatches on the form of the pid, {@code kill_proc} walks the task list looking for the pid,
 * {@code send_sig} checks that the sender may signal the target by comparing four pairs of user ids, and
 * {@code generate} looks up the target's handler to see whether the signal would be ignored anyway. Yet between two
 * kills almost none of this changes: the target is the same task, its uids are the same, its handler is the same. These
 * facts are <em>quasi-invariants</em>: they hold for long stretches and change only when someone calls
 * {@code setuid}, {@code sigaction}, {@code exit}…
 *
 * <p>We start from {@link org.quasi.cases.signals.Kernel}, a faithful port of the 2.0 code
 * ({@code kernel/exit.c}, {@code sched.c}, {@code signal.c}, {@code sys.c}, {@code fork.c}): a circular doubly linked
 * list of {@link org.quasi.cases.signals.Task}s headed by the idle task, a {@code current} task, sigaction tables,
 * and the system calls that change them. Nothing in it is written for speed, and nothing is hidden from a partial
 * evaluator: every field is a plain field, written only by the handful of system calls that the issue lists
 * (setuid/setreuid, fork, exit, sigaction, sigprocmask, the context switch) and by the scheduler.
 *
 * <p>Then we do what the paper's authors did by hand, in {@link org.quasi.cases.signals.HandKernel}: a
 * {@code last_sig_to} cache in front of the task-list search, and {@code send_sig} with {@code generate} folded for
 * the cached (sender, pid, signal), in the spirit of the paper's Figure 4 ({@code kp_usr1}). The fold is only correct
 * while the quasi-invariants hold, so the hand kernel must also learn of every write that breaks one: we had to find
 * those writes ourselves and add an invalidation to each, exactly the error-prone step the paper's toolkit automates.
 * Its javadoc lists them, and lists the writes that need none, with the reason.
 *
 * <p>The third variant, {@code quasi}, does not exist yet: it waits for the specializer and the guards. It will be
 * the generic kernel, untouched, specialized from a spec that declares the quasi-invariants and the entry point
 * {@code Kernel.killProc} (or {@code sysKill}) keyed on {@code current}, the pid and the signal; see
 * {@code docs/cases-signals.md} for the plan. It plugs in as one more constant of
 * {@link org.quasi.cases.signals.Variant}.
 *
 * <h2>Pitfalls we met</h2>
 *
 * <ul>
 *   <li>The seed paper's Figure 3 has OCR errors; the first test of {@code send_sig} is {@code !p || sig > 32}, and
 *       the permission test compares the sender's uid and euid with the target's uid <em>and saved uid</em>.</li>
 *   <li>{@code suser()} is not a pure test: it sets {@code PF_SUPERPRIV} in the sender's flags. A fold that skips the
 *       call must still set the flag when the permission came from it.</li>
 *   <li>A cache keyed by pid must be invalidated when the task leaves the list ({@code release}), not when it exits:
 *       a zombie keeps its pid and {@code send_sig} answers 0 for it ("forget it if the process is already
 *       zombie'd"); only after {@code wait} does the kill return {@code -ESRCH}.</li>
 *   <li>The handler a fold decides on can change without {@code sigaction}: a one-shot handler is reset to
 *       {@code SIG_DFL} by delivery itself.</li>
 * </ul>
 *
 * <h2>How to check it</h2>
 *
 * <p>{@code VariantEquivalenceTest} applies random histories to the generic kernel and every other variant side by
 * side and compares return values, handler runs and full snapshots ({@link org.quasi.cases.signals.KernelSnapshot})
 * after every step; {@code QuasiInvariantChangesTest} shows the three situations the issue names (setuid of the
 * target, exit of the target, a new handler) on every variant. The benchmarks are in {@code quasi-bench}, package
 * {@code org.quasi.bench.signals}; the application of §4.2 is in {@link org.quasi.cases.signals.app}.
 */
package org.quasi.cases.signals;
