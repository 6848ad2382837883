package org.quasi.runtime.internal;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A list that holds its elements weakly: an append costs a {@link WeakReference} and an array store, with no hashing
 * and no reference queue to drain. References the collector cleared are dropped when the array is full; the array
 * doubles only when more than half of it is still live after that, so an append is amortized constant time and the
 * array holds at most twice the live elements of its last compaction, plus the appends since.
 *
 * <p>It serves {@link UnguardedFields}, which tracks every guard made so that marking a field reaches them all. A guard
 * is made for each object and field a version relies on; a version manager whose keys keep changing makes hundreds
 * per version, and a weak hash set's put (an identity hash, the queue drained, a resize now and then) was half the cost
 * of making such a version. Elements are compared by nothing: the same element appended twice is listed twice.
 *
 * <p>Thread-safe: every method holds this list's monitor.
 *
 * @param <T> the elements' type
 */
final class WeakList<T> {

  private static final int INITIAL_CAPACITY = 16;

  @SuppressWarnings("unchecked")
  private WeakReference<T>[] refs = new WeakReference[INITIAL_CAPACITY];
  private int size;

  /** Appends {@code element}, held weakly. */
  synchronized void add(final T element) {
    if (size == refs.length) {
      compact();
      if (size > refs.length / 2) {
        refs = Arrays.copyOf(refs, refs.length * 2);
      }
    }
    refs[size++] = new WeakReference<>(element);
  }

  /** The elements not yet collected, in the order they were added. */
  synchronized List<T> live() {
    final List<T> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      final T e = refs[i].get();
      if (e != null) {
        out.add(e);
      }
    }
    return out;
  }

  /** Slots in use, cleared references included (for tests of the compaction). */
  synchronized int slots() {
    return size;
  }

  /** Slots allocated (for tests of the compaction). */
  synchronized int capacity() {
    return refs.length;
  }

  /** Moves the references still set to the front, in order, and forgets the cleared ones. */
  private void compact() {
    int kept = 0;
    for (int i = 0; i < size; i++) {
      if (refs[i].get() != null) {
        refs[kept++] = refs[i];
      }
    }
    Arrays.fill(refs, kept, size, null);
    size = kept;
  }
}
