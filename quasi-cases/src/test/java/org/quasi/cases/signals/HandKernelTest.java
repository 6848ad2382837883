package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the hand kernel's cache is used and when it is dropped: exactly the writes its javadoc lists invalidate it,
 * and the writes it argues are harmless leave it in place.
 */
class HandKernelTest {

  private HandKernel kernel;
  private Task sender;
  private Task target;

  @BeforeEach
  void twoUserProcessesOneSignalled() {
    kernel = new HandKernel();
    sender = Population.userProcess(kernel);
    kernel.switchTo(kernel.initProcess());
    target = kernel.findTask(kernel.doFork(SIGCHLD));
    kernel.switchTo(target);
    kernel.sysSetuid(Population.USER);
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_IGN, 0, 0);
    kernel.switchTo(sender);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("nothing cached yet").isFalse();
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("the first kill fills the entry").isTrue();
  }

  @Test
  void theEntryIsPerSenderPidAndSignal() {
    assertThat(kernel.cacheHolds(sender, target.pid(), Signals.SIGUSR2)).isFalse();
    assertThat(kernel.cacheHolds(sender, target.pid() + 1, SIGUSR1)).isFalse();
    assertThat(kernel.cacheHolds(target, target.pid(), SIGUSR1)).isFalse();
  }

  @Test
  void harmlessWritesKeepIt() {
    kernel.doFork(SIGCHLD);
    kernel.switchTo(target);
    kernel.sysSigprocmask(Signals.SIG_BLOCK, Signals.mask(SIGUSR1));
    kernel.sysSetsid();
    kernel.switchTo(sender);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).isTrue();
    assertThat(kernel.sysKill(target.pid(), SIGUSR1)).isZero();
    assertThat(target.signal()).as("blocked, so even an ignored signal stays pending").isEqualTo(Signals.mask(SIGUSR1));
  }

  @Test
  void credentialsHandlersAndReleaseDropIt() {
    kernel.switchTo(target);
    kernel.sysSetreuid(-1, Population.USER);
    kernel.switchTo(sender);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("setreuid").isFalse();

    kernel.sysKill(target.pid(), SIGUSR1);
    kernel.switchTo(target);
    kernel.sysSigaction(SIGUSR1, SignalHandler.SIG_DFL, 0, 0);
    kernel.switchTo(sender);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("sigaction").isFalse();

    kernel.sysKill(target.pid(), SIGUSR1);
    kernel.switchTo(target);
    kernel.sysExit(0);
    kernel.switchTo(sender);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("exit alone keeps it: sig is tested").isTrue();
    kernel.switchTo(kernel.initProcess());
    kernel.sysWait(target.pid(), false);
    assertThat(kernel.cacheHolds(sender, target.pid(), SIGUSR1)).as("release").isFalse();
  }
}
