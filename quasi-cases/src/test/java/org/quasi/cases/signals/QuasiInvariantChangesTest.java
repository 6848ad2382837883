package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Errno.ESRCH;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three situations the issue demands of every variant: a kill that was fast a moment ago must see the change of a
 * quasi-invariant at once. Each test first sends the same kill twice (so a caching variant has cached it), then
 * changes a quasi-invariant and checks the next kill against what the generic kernel answers.
 */
class QuasiInvariantChangesTest {

  private final List<String> log = new ArrayList<>();

  /** A sender of uid 500 and a target, both children of init; the sender is current. */
  private static Task[] senderAndTarget(final Kernel kernel) {
    Task init = kernel.initProcess();
    Task sender = kernel.findTask(kernel.doFork(SIGCHLD));
    Task target = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.switchTo(sender);
    kernel.sysSetuid(500);
    // The target runs a set-uid-root program for user 500: real uid 500, effective and saved uid 0.
    kernel.switchTo(target);
    kernel.sysSetreuid(500, -1);
    kernel.switchTo(sender);
    assertThat(init.pid()).isEqualTo(1);
    return new Task[] {sender, target};
  }

  private static void sendTwice(final Kernel kernel, final Task target) {
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void afterSetuidOfTheTargetKillReturnsEperm(final Variant variant) {
    Kernel kernel = variant.boot();
    Task[] st = senderAndTarget(kernel);
    kernel.switchTo(st[1]);
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_IGN, 0, 0);
    kernel.switchTo(st[0]);
    sendTwice(kernel, st[1]);
    if (kernel instanceof HandKernel hand) {
      assertThat(hand.cacheHolds(st[0], st[1].pid(), SIGUSR1)).as("the second kill was a cache hit").isTrue();
    }
    kernel.switchTo(st[1]);
    assertThat(kernel.sysSetuid(600)).isZero();
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), SIGUSR1)).isEqualTo(-EPERM);
    assertThat(kernel.sysKill(st[1].pid(), 0)).isEqualTo(-EPERM);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void afterTheTargetExitsKillReturnsEsrch(final Variant variant) {
    Kernel kernel = variant.boot();
    Task[] st = senderAndTarget(kernel);
    kernel.switchTo(st[1]);
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_IGN, 0, 0);
    kernel.switchTo(st[0]);
    sendTwice(kernel, st[1]);
    kernel.switchTo(st[1]);
    kernel.sysExit(0);
    kernel.schedule();
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), SIGUSR1)).as("a zombie still has its pid").isZero();
    kernel.switchTo(kernel.initProcess());
    assertThat(kernel.sysWait(st[1].pid(), false)).isEqualTo(st[1].pid());
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), SIGUSR1)).isEqualTo(-ESRCH);
    assertThat(kernel.sysKill(st[1].pid(), 0)).isEqualTo(-ESRCH);
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void afterANewHandlerIsInstalledTheNewHandlerRuns(final Variant variant) {
    Kernel kernel = variant.boot();
    Task[] st = senderAndTarget(kernel);
    kernel.switchTo(st[1]);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("old", log, 0), 0, 0);
    kernel.switchTo(st[0]);
    sendTwice(kernel, st[1]);
    kernel.switchTo(st[1]);
    kernel.returnToUser();
    assertThat(log).containsExactly("old:" + st[1].pid() + ":" + SIGUSR1);

    kernel.sysSigaction(SIGUSR1, new RecordingHandler("new", log, 0), 0, 0);
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), SIGUSR1)).isZero();
    kernel.switchTo(st[1]);
    kernel.returnToUser();
    assertThat(log).containsExactly("old:" + st[1].pid() + ":" + SIGUSR1, "new:" + st[1].pid() + ":" + SIGUSR1);

    // And back to ignoring it: the signal must not even become pending.
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_IGN, 0, 0);
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), SIGUSR1)).isZero();
    assertThat(st[1].signal()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Variant.class)
  void afterAOneShotHandlerRanTheDefaultActionApplies(final Variant variant) {
    Kernel kernel = variant.boot();
    Task[] st = senderAndTarget(kernel);
    kernel.switchTo(st[1]);
    kernel.sysSigaction(Signals.SIGWINCH, new RecordingHandler("once", log, 0), 0, Signals.SA_ONESHOT);
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), Signals.SIGWINCH)).isZero();
    assertThat(kernel.sysKill(st[1].pid(), Signals.SIGWINCH)).isZero();
    kernel.switchTo(st[1]);
    kernel.returnToUser();
    assertThat(log).containsExactly("once:" + st[1].pid() + ":" + Signals.SIGWINCH);
    kernel.switchTo(st[0]);
    assertThat(kernel.sysKill(st[1].pid(), Signals.SIGWINCH)).isZero();
    assertThat(st[1].signal()).as("SIGWINCH is ignored by default: not even pending").isZero();
  }
}
