package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/**
 * Writers, callers and a re-specializer at once on one counting replugger: after a guarded write returns, no call
 * returns a result computed under an older value.
 *
 * <p>The written values only grow, and a specialized version returns the value it was made for, so "computed under
 * an older value" is "smaller than the last value whose write had returned when the call started". The test fails if
 * {@link Version#plug} skipped its re-read or its stamp check, or if invalidation did not unplug before the store.
 * The QUID is installed before the writer starts: the fast-path race documented in {@link Guards} is out of scope.
 */
class GuardConcurrencyTest {

  @Test
  void noCallSeesAValueOlderThanTheLastReturnedGuardedWrite() throws Exception {
    final WovenByHand rule = new WovenByHand(0);
    Guards.quidOf(rule);
    final IntSupplier generic = () -> rule.port;
    final CountingReplugger<IntSupplier> r = Replugger.counting(IntSupplier.class, generic);
    final AtomicInteger written = new AtomicInteger();
    final AtomicBoolean done = new AtomicBoolean();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong calls = new AtomicLong();
    final AtomicLong plugs = new AtomicLong();

    final Thread writer = new Thread(() -> {
      final long end = System.nanoTime() + 700_000_000L;
      for (int v = 1; System.nanoTime() < end; v++) {
        rule.setPort(v);
        written.set(v);
        Thread.yield();
      }
      done.set(true);
    }, "writer");
    final Thread specializer = new Thread(() -> {
      while (!done.get()) {
        final int k = rule.port; // what a specializer would read and fold
        final Version<IntSupplier> v = Version.of(r, () -> k, generic, "port " + k);
        v.dependOn(rule, WovenByHand.class, "port");
        if (v.plug(() -> rule.port == k)) {
          plugs.incrementAndGet();
        }
      }
    }, "specializer");
    final Thread caller = new Thread(() -> {
      while (!done.get()) {
        final int before = written.get();
        final int result = r.invoker().getAsInt();
        calls.incrementAndGet();
        if (result < before) {
          stale.incrementAndGet();
        }
      }
    }, "caller");
    writer.start();
    specializer.start();
    caller.start();
    writer.join(30_000);
    specializer.join(30_000);
    caller.join(30_000);

    assertThat(stale.get()).as("calls that returned a value older than a completed guarded write").isZero();
    assertThat(calls.get()).isPositive();
    assertThat(plugs.get()).as("versions plugged (the test exercised specialized code)").isPositive();
  }
}
