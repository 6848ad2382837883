package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link HeapWatch} on a stand-in heap of 1000 MB with a budget of 80%. */
class HeapWatchTest {
  private static final long MB = 1 << 20;

  private final AtomicLong used = new AtomicLong();
  private final AtomicLong afterCollection = new AtomicLong();
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final AtomicInteger collections = new AtomicInteger();
  private final HeapWatch watch = new HeapWatch(0.8, used::get, () -> 1000 * MB, () -> {
    collections.incrementAndGet();
    used.set(afterCollection.get());
  }, clock::get);

  @Test
  void underBudgetCostsNoCollection() {
    used.set(700 * MB);
    assertThat(watch.overBudget()).isNull();
    assertThat(collections).hasValue(0);
  }

  @Test
  void garbageOverBudgetIsCollectedAndForgiven() {
    used.set(950 * MB);
    afterCollection.set(300 * MB);
    assertThat(watch.overBudget()).isNull();
    assertThat(collections).hasValue(1);
  }

  @Test
  void heldHeapOverBudgetIsReportedInMegabytes() {
    used.set(950 * MB);
    afterCollection.set(900 * MB);
    assertThat(watch.overBudget())
        .isEqualTo("the heap stayed 90% full after a collection (900 MB of 1000 MB, budget 80%)");
  }

  @Test
  void collectsAtMostOncePerInterval() {
    used.set(950 * MB);
    afterCollection.set(300 * MB);
    assertThat(watch.overBudget()).isNull();
    afterCollection.set(900 * MB);
    used.set(950 * MB);
    clock.addAndGet(HeapWatch.COLLECTION_INTERVAL_MILLIS - 1);
    assertThat(watch.overBudget()).isNull();
    assertThat(collections).hasValue(1);
    clock.addAndGet(1);
    assertThat(watch.overBudget()).contains("90% full");
    assertThat(collections).hasValue(2);
  }

  @Test
  void heapLetGoWhileWaitingIsCollectedAgainAndForgiven() {
    used.set(950 * MB);
    afterCollection.set(900 * MB);
    assertThat(watch.overBudget(() -> {
      afterCollection.set(300 * MB);
      return true;
    })).isNull();
    assertThat(collections).hasValue(2);
  }

  @Test
  void heapStillHeldAfterWaitingIsReported() {
    used.set(950 * MB);
    afterCollection.set(900 * MB);
    assertThat(watch.overBudget(() -> true)).contains("90% full");
    assertThat(collections).hasValue(2);
    // Nothing let go: no second collection.
    clock.addAndGet(HeapWatch.COLLECTION_INTERVAL_MILLIS);
    used.set(950 * MB);
    assertThat(watch.overBudget(() -> false)).contains("90% full");
    assertThat(collections).hasValue(3);
  }

  @Test
  void underBudgetNeverWaits() {
    used.set(700 * MB);
    assertThat(watch.overBudget(() -> {
      throw new AssertionError("waited");
    })).isNull();
  }

  @Test
  void awaitsRoomCollectingUntilTheHeapIsBackWithinBudget() {
    afterCollection.set(900 * MB);
    final HeapWatch w = new HeapWatch(0.8, used::get, () -> 1000 * MB, () -> {
      if (collections.incrementAndGet() == 3) {
        // The run that held the heap ended.
        afterCollection.set(300 * MB);
      }
      used.set(afterCollection.get());
      clock.addAndGet(50);
    }, clock::get);
    assertThat(w.awaitRoom(1000)).isTrue();
    assertThat(collections).hasValue(3);
  }

  @Test
  void givesUpOnRoomAfterItsPatience() {
    afterCollection.set(900 * MB);
    final HeapWatch w = new HeapWatch(0.8, used::get, () -> 1000 * MB, () -> {
      collections.incrementAndGet();
      used.set(afterCollection.get());
      clock.addAndGet(400);
    }, clock::get);
    assertThat(w.awaitRoom(1000)).isFalse();
    assertThat(collections).hasValue(3);
  }

  @Test
  void budgetIsAShare() {
    assertThatThrownBy(() -> new HeapWatch(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("in (0, 1], got 0.0");
    assertThatThrownBy(() -> new HeapWatch(1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anOutOfMemoryErrorWrappedWhileTheJdkSpunAClassIsExhaustion() {
    final OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    org.assertj.core.api.Assertions.assertThat(HeapWatch.exhausted(oom)).isTrue();
    org.assertj.core.api.Assertions.assertThat(HeapWatch.exhausted(new InternalError(oom))).isTrue();
    org.assertj.core.api.Assertions.assertThat(HeapWatch.exhausted(new BootstrapMethodError(new InternalError(oom))))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(HeapWatch.exhausted(new InternalError("a bug"))).isFalse();
    org.assertj.core.api.Assertions.assertThat(HeapWatch.exhausted(new IllegalStateException())).isFalse();
  }
}
