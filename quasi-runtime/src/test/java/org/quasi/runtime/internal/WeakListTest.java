package org.quasi.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WeakListTest {

  @Test
  void listsWhatIsStillReachableInOrder() {
    final WeakList<Object> list = new WeakList<>();
    final List<Object> kept = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      final Object o = new Object();
      kept.add(o);
      list.add(o);
    }
    assertThat(list.live()).containsExactlyElementsOf(kept);
  }

  @Test
  void aFullArrayDropsWhatWasCollectedBeforeItGrows() {
    final WeakList<Object> list = new WeakList<>();
    final List<Object> kept = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      final Object o = new Object();
      kept.add(o);
      list.add(o);
    }
    int settled = -1;
    for (int round = 0; round < 6; round++) {
      // Fill the array with elements nothing else holds, let the collector clear them, then append one more.
      while (list.slots() < list.capacity()) {
        list.add(new Object());
      }
      collectGarbage();
      final Object last = new Object();
      kept.add(last);
      list.add(last);
      assertThat(list.slots()).as("round %d: the kept elements only", round).isEqualTo(kept.size());
      if (round == 0) {
        // The first compaction finds the 100 kept elements more than half of the array, and doubles it once.
        settled = list.capacity();
      }
      assertThat(list.capacity()).as("round %d: no growth", round).isEqualTo(settled);
    }
    assertThat(list.live()).containsExactlyElementsOf(kept);
  }

  @Test
  void anArrayMoreThanHalfLiveDoubles() {
    final WeakList<Object> list = new WeakList<>();
    final List<Object> kept = new ArrayList<>();
    final int initial = list.capacity();
    for (int i = 0; i <= initial; i++) {
      final Object o = new Object();
      kept.add(o);
      list.add(o);
    }
    assertThat(list.capacity()).isEqualTo(2 * initial);
    assertThat(list.live()).containsExactlyElementsOf(kept);
  }

  /** Until a fresh weakly held object is cleared: everything unreachable before it is, for the young collections. */
  private static void collectGarbage() {
    final WeakReference<Object> canary = new WeakReference<>(new Object());
    for (int i = 0; i < 50 && canary.get() != null; i++) {
      System.gc();
    }
    assertThat(canary.get()).as("the collector cleared a weak reference").isNull();
  }
}
