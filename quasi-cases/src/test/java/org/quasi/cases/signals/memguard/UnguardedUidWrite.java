package org.quasi.cases.signals.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Task;
import org.quasi.cases.signals.Variant;

/**
 * A deliberately unguarded write, the control of {@link SignalsUnderMemGuardTest}: MemGuard must not be silent
 * because it sees nothing. A test class surefire does not run (its name does not end in {@code Test}): only the
 * child JVM selects it, beside the case's own tests.
 *
 * <p>A sender of uid 500 kills a set-uid-root target (real uid 500, effective and saved uid 0) on the Quasi kernel,
 * so that a version of {@code sys_kill} folds {@code send_sig}'s permission test on the target's {@code uid}. Two
 * writes of that {@code uid} follow, from code the agent wove:
 * <ol>
 *   <li>{@code Field.setInt}: the agent guards reflective writes ({@code ReflectiveWrites}), so the version is
 *       invalidated, the next kill answers {@code -EPERM} as the generic kernel does, and MemGuard must stay silent;
 *   <li>a setter handle called through {@code invokeWithArguments(List)}, a call the agent cannot bracket (it lists
 *       it for MemGuard): nothing invalidates the version, the next kill still answers 0 where the generic kernel
 *       refuses, and MemGuard must report the write where it happens and, with the verifier on, the version's
 *       changed dependency at that kill.
 * </ol>
 */
class UnguardedUidWrite {

  @Test
  void writesTaskUidPastTheGuards() throws Throwable {
    final Kernel kernel = Variant.QUASI.boot();
    final Task sender = kernel.findTask(kernel.doFork(SIGCHLD));
    final Task target = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.switchTo(sender);
    kernel.sysSetuid(500);
    kernel.switchTo(target);
    kernel.sysSetreuid(500, -1);
    kernel.switchTo(sender);
    killTwice(kernel, target);

    final Field uid = Task.class.getDeclaredField("uid");
    uid.setAccessible(true);
    uid.setInt(target, 600); // guarded by the agent
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isEqualTo(-EPERM);
    uid.setInt(target, 500);
    killTwice(kernel, target);

    final MethodHandle setter = MethodHandles.privateLookupIn(Task.class, MethodHandles.lookup())
        .findSetter(Task.class, "uid", int.class);
    setter.invokeWithArguments(List.of(target, 600)); // past the guards
    // The version still believes uid 500 (the generic kernel would refuse with -EPERM): what MemGuard reports.
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
  }

  private static void killTwice(final Kernel kernel, final Task target) {
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
  }
}
