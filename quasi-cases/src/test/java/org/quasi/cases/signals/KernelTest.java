package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quasi.cases.signals.Errno.EINVAL;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Errno.ESRCH;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGCONT;
import static org.quasi.cases.signals.Signals.SIGKILL;
import static org.quasi.cases.signals.Signals.SIGSTOP;
import static org.quasi.cases.signals.Signals.SIGUSR1;
import static org.quasi.cases.signals.Signals.SIGUSR2;
import static org.quasi.cases.signals.Signals.SIG_BLOCK;
import static org.quasi.cases.signals.Signals.SIG_UNBLOCK;
import static org.quasi.cases.signals.Signals.mask;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generic kernel's semantics, case by case, against what Linux 2.0 does. */
class KernelTest {

  private final Kernel kernel = new Kernel();
  private final List<String> log = new ArrayList<>();

  /** Forks a child of current, switches to it and makes it a plain user process of {@code uid}. */
  private Task userProcess(final int uid) {
    Task parent = kernel.current();
    Task child = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.switchTo(child);
    assertThat(kernel.sysSetuid(uid)).isZero();
    kernel.switchTo(parent);
    return child;
  }

  @Test
  void bootsIdleAndInit() {
    assertThat(kernel.idleTask().pid()).isZero();
    assertThat(kernel.current().pid()).isEqualTo(1);
    assertThat(kernel.initProcess().euid()).isZero();
    assertThat(kernel.findTask(1)).isSameAs(kernel.initProcess());
  }

  @Test
  void signalToSelfWithHandlerIsDeliveredOnReturnToUserMode() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("h", log, 0), 0, 0);
    assertThat(kernel.sysKill(a.pid(), SIGUSR1)).isZero();
    assertThat(a.signal()).isEqualTo(mask(SIGUSR1));
    assertThat(log).isEmpty();
    kernel.returnToUser();
    assertThat(log).containsExactly("h:" + a.pid() + ":" + SIGUSR1);
    assertThat(a.signal()).isZero();
    assertThat(a.blocked()).as("sigreturn restores the mask").isZero();
  }

  @Test
  void invalidSignalsAndMissingProcessesAreRejected() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(-1, 0)).as("nobody but init and the caller").isEqualTo(-ESRCH);
    kernel.switchTo(kernel.initProcess());
    userProcess(500);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(a.pid(), 33)).isEqualTo(-EINVAL);
    assertThat(kernel.sysKill(a.pid(), -1)).isEqualTo(-EINVAL);
    assertThat(kernel.sysKill(a.pid(), 32)).as("32 is the last valid number").isZero();
    assertThat(kernel.sysKill(9999, SIGUSR1)).isEqualTo(-ESRCH);
    assertThat(kernel.sysKill(-9999, SIGUSR1)).isEqualTo(-ESRCH);
    assertThat(kernel.sysKill(-1, 33)).as("every send fails with EINVAL").isEqualTo(-EINVAL);
  }

  @Test
  void permissionFollowsRealAndSavedUids() {
    Task a = userProcess(500);
    Task b = userProcess(600);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(b.pid(), SIGUSR1)).isEqualTo(-EPERM);
    assertThat(kernel.sysKill(b.pid(), 0)).isEqualTo(-EPERM);
    kernel.switchTo(kernel.initProcess());
    assertThat(kernel.sysKill(b.pid(), 0)).as("root may").isZero();
    assertThat(kernel.initProcess().flags & TaskState.PF_SUPERPRIV).as("suser() records privilege").isNotZero();
  }

  @Test
  void sigcontIsAllowedWithinTheSession() {
    Task a = userProcess(500);
    Task b = userProcess(600);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(b.pid(), SIGCONT)).as("same session as init's children").isZero();
    kernel.switchTo(b);
    assertThat(kernel.sysSetsid()).isEqualTo(b.pid());
    kernel.switchTo(a);
    assertThat(kernel.sysKill(b.pid(), SIGCONT)).isEqualTo(-EPERM);
  }

  @Test
  void killMinusOneSkipsInitAndTheCaller() {
    Task a = userProcess(500);
    Task b = userProcess(500);
    Task c = userProcess(600);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(-1, SIGUSR2)).isZero();
    assertThat(b.signal()).isEqualTo(mask(SIGUSR2));
    assertThat(a.signal()).isZero();
    assertThat(c.signal()).as("no permission, silently skipped").isZero();
    assertThat(kernel.initProcess().signal()).isZero();
  }

  @Test
  void processGroupKills() {
    Task a = userProcess(500);
    Task b = userProcess(500);
    kernel.switchTo(a);
    int group = kernel.sysSetsid();
    kernel.switchTo(b);
    assertThat(kernel.sysKill(-group, SIGUSR2)).isZero();
    assertThat(a.signal()).isEqualTo(mask(SIGUSR2));
    kernel.switchTo(kernel.idleTask());
    assertThat(kernel.sysKill(0, SIGUSR2)).as("the idle task's group 0 is invalid").isEqualTo(-EINVAL);
  }

  @Test
  void defaultActionTerminatesAndNotifiesTheParent() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    assertThat(kernel.sysKill(a.pid(), SIGUSR1)).isZero();
    kernel.returnToUser();
    assertThat(a.state()).isEqualTo(TaskState.TASK_ZOMBIE);
    assertThat(a.sig()).isNull();
    assertThat(kernel.sysKill(a.pid(), SIGUSR1)).as("zombie: forget it").isZero();
    kernel.schedule();
    kernel.switchTo(kernel.initProcess());
    assertThat(kernel.sysWait(a.pid(), false)).isEqualTo(a.pid());
    assertThat(kernel.sysKill(a.pid(), SIGUSR1)).isEqualTo(-ESRCH);
  }

  @Test
  void stopAndContinue() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysKill(a.pid(), SIGSTOP);
    kernel.returnToUser();
    assertThat(a.state()).isEqualTo(TaskState.TASK_STOPPED);
    kernel.schedule();
    assertThat(kernel.current()).isNotSameAs(a);
    kernel.switchTo(kernel.initProcess());
    assertThat(kernel.sysKill(a.pid(), SIGCONT)).isZero();
    assertThat(a.state()).isEqualTo(TaskState.TASK_RUNNING);
  }

  @Test
  void blockedSignalsWaitAndSigkillCannotBeBlocked() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("h", log, 0), 0, 0);
    kernel.sysSigprocmask(SIG_BLOCK, mask(SIGUSR1) | mask(SIGKILL));
    assertThat(a.blocked()).isEqualTo(mask(SIGUSR1));
    kernel.sysKill(a.pid(), SIGUSR1);
    kernel.returnToUser();
    assertThat(log).isEmpty();
    kernel.sysSigprocmask(SIG_UNBLOCK, mask(SIGUSR1));
    kernel.returnToUser();
    assertThat(log).hasSize(1);
    assertThat(kernel.sysSigprocmask(7, 0)).isEqualTo(-EINVAL);
  }

  @Test
  void ignoredSignalsAreDroppedAtGeneration() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_IGN, 0, 0);
    kernel.sysKill(a.pid(), SIGUSR1);
    assertThat(a.signal()).isZero();
    assertThat(kernel.sysSigaction(SIGKILL, SignalHandler.SIG_IGN, 0, 0)).isEqualTo(-EINVAL);
  }

  @Test
  void oneShotHandlerFallsBackToDefault() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysSigaction(SIGUSR2, new RecordingHandler("once", log, 0), 0, Signals.SA_ONESHOT);
    kernel.sysKill(a.pid(), SIGUSR2);
    kernel.returnToUser();
    assertThat(log).hasSize(1);
    assertThat(a.sig().action(SIGUSR2).handler()).isSameAs(SignalHandler.SIG_DFL);
  }

  @Test
  void initAndIdleCannotExit() {
    assertThatThrownBy(() -> kernel.sysExit(0)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pid 1");
  }

  @Test
  void sigsuspendSleepsUntilAHandlerRuns() {
    Task a = userProcess(500);
    kernel.switchTo(a);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("wake", log, 0), 0, 0);
    kernel.sysSigprocmask(SIG_BLOCK, mask(SIGUSR1));
    kernel.sysSigsuspend(0);
    assertThat(a.state()).isEqualTo(TaskState.TASK_INTERRUPTIBLE);
    kernel.schedule();
    assertThat(kernel.current()).isNotSameAs(a);
    kernel.switchTo(kernel.initProcess());
    kernel.sysKill(a.pid(), SIGUSR1);
    assertThat(a.state()).as("generate woke it").isEqualTo(TaskState.TASK_RUNNING);
    kernel.switchTo(a);
    assertThat(kernel.returnToUser()).isTrue();
    assertThat(log).containsExactly("wake:" + a.pid() + ":" + SIGUSR1);
    assertThat(a.blocked()).as("sigsuspend's saved mask is back").isEqualTo(mask(SIGUSR1));
  }
}
