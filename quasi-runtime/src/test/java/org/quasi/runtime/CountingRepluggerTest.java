package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/** The counting replugger's waiting, its timeout, and its refusal to wait for itself. */
class CountingRepluggerTest {

  @Test
  void replugWaitsForACallInsideTheOldVersion() throws Exception {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountingReplugger<IntUnaryOperator> r = Replugger.counting(IntUnaryOperator.class, x -> {
      entered.countDown();
      await(release);
      return x;
    });
    final Thread caller = new Thread(() -> r.invoker().applyAsInt(1), "slow-caller");
    caller.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(r.threadsInside()).isEqualTo(1);

    final CountDownLatch replugged = new CountDownLatch(1);
    final Thread replugger = new Thread(() -> {
      r.replug(x -> -x);
      replugged.countDown();
    }, "replugger");
    replugger.start();
    // The replug cannot return while the slow caller is inside the old version.
    assertThat(replugged.await(200, TimeUnit.MILLISECONDS)).isFalse();
    // Meanwhile new calls already run the new version.
    assertThat(r.invoker().applyAsInt(5)).isEqualTo(-5);
    release.countDown();
    assertThat(replugged.await(10, TimeUnit.SECONDS)).isTrue();
    caller.join();
    replugger.join();
    assertThat(r.threadsInside()).isZero();
  }

  @Test
  void replugTimesOutNamingTheThreadStillInside() throws Exception {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountingReplugger<IntUnaryOperator> r = Replugger.counting(MethodHandles.lookup(),
        IntUnaryOperator.class, x -> {
          entered.countDown();
          await(release);
          return x;
        }, Duration.ofMillis(100));
    final Thread caller = new Thread(() -> r.invoker().applyAsInt(1), "stuck-caller");
    caller.start();
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    final IntUnaryOperator next = x -> x * 3;
    assertThatThrownBy(() -> r.replug(next))
        .isInstanceOf(QuiescenceTimeoutException.class)
        .hasMessageContaining("waited PT0.1S")
        .hasMessageContaining("'stuck-caller'");
    // The new version is plugged all the same.
    assertThat(r.target()).isSameAs(next);
    assertThat(r.invoker().applyAsInt(2)).isEqualTo(6);
    release.countDown();
    caller.join();
    r.awaitQuiescence();
    assertThat(r.threadsInside()).isZero();
  }

  @Test
  void replugFromInsideACallIsRefused() {
    final AtomicReference<CountingReplugger<IntUnaryOperator>> self = new AtomicReference<>();
    final CountingReplugger<IntUnaryOperator> r = Replugger.counting(IntUnaryOperator.class, x -> {
      self.get().replug(y -> y);
      return x;
    });
    self.set(r);
    assertThatThrownBy(() -> r.invoker().applyAsInt(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("called from inside a call through it");
    assertThat(r.threadsInside()).isZero();
  }

  @Test
  void recursionThroughTheReplugger() {
    final AtomicReference<IntUnaryOperator> invoker = new AtomicReference<>();
    final CountingReplugger<IntUnaryOperator> r = Replugger.counting(IntUnaryOperator.class,
        n -> n <= 1 ? 1 : n * invoker.get().applyAsInt(n - 1));
    invoker.set(r.invoker());
    assertThat(r.invoker().applyAsInt(10)).isEqualTo(3_628_800);
    assertThat(r.threadsInside()).isZero();
  }

  @Test
  void negativeTimeoutIsRefused() {
    assertThatThrownBy(() -> Replugger.counting(MethodHandles.lookup(), IntUnaryOperator.class, x -> x,
        Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("quiescence timeout is negative: PT-1S");
  }

  private static void await(final CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
