package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A writer and two callers on one entry point with counting repluggers: no call that starts after a guarded write
 * returned sees the old value, and every call returns. The written values only grow, so "old" is "smaller than the
 * last value whose write had returned when the call started".
 */
class EntryConcurrencyTest {

  @Test
  void noCallSeesAValueOlderThanTheLastReturnedGuardedWrite() throws Exception {
    final EntryPoint<Rules.PortReader> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("portPlus", Rule.class, int.class), Rules.PortReader.class)
        .keys(0).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(3).withBackoffAfter(Integer.MAX_VALUE)).build();
    final Rules.PortReader f = entry.function();
    final Rule rule = new Rule(0);
    for (int i = 0; i < 3; i++) {
      // Specialize before the writer starts: this installs the QUID (see Guards: the fast-path race), and the first
      // specialization in a JVM (class loading, a cold specializer) may otherwise outlast the writer.
      f.read(rule, 0);
    }
    final AtomicInteger written = new AtomicInteger();
    final AtomicBoolean done = new AtomicBoolean();
    final AtomicLong stale = new AtomicLong();
    final AtomicLong returned = new AtomicLong();
    final Runnable caller = () -> {
      while (!done.get()) {
        final int before = written.get();
        if (f.read(rule, 0) < before) {
          stale.incrementAndGet();
        }
        returned.incrementAndGet();
      }
    };
    final Thread c1 = new Thread(caller, "caller-1");
    final Thread c2 = new Thread(caller, "caller-2");
    final Thread writer = new Thread(() -> {
      final long end = System.nanoTime() + 700_000_000L;
      final long giveUp = System.nanoTime() + 10_000_000_000L;
      for (int v = 1; System.nanoTime() < end
          || entry.counters().invalidations() < 3 && System.nanoTime() < giveUp; v++) {
        rule.setPort(v);
        written.set(v);
        Thread.yield();
      }
      done.set(true);
    }, "writer");
    c1.start();
    c2.start();
    writer.start();
    writer.join(30_000);
    c1.join(30_000);
    c2.join(30_000);
    assertThat(stale.get()).as("calls that returned a value older than a completed guarded write").isZero();
    assertThat(returned.get()).isPositive();
    assertThat(entry.counters().specializations()).as("the test exercised specialized versions").isPositive();
    assertThat(entry.counters().invalidations()).isPositive();
  }
}
