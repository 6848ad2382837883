package org.quasi.memguard.internal;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects that hold protected locations, by identity, held weakly: what every armed trapped write looks its
 * target up in, so lookups take no lock and allocate nothing.
 *
 * <p>An open-addressing table of entries in a volatile array, replaced whole (copy on write) when an object is added:
 * protecting is rare, looking up is on every trapped write. A lookup reads the array once, then probes from the
 * object's identity hash comparing referents by identity. Entries whose object was collected are dropped at the next
 * copy. An object's entry stays once made; its field counts go to zero when released.
 */
final class ProtectedObjects {

  private static final class Entry {
    final WeakReference<Object> object;
    final int hash;
    final Map<String, Integer> fields = new ConcurrentHashMap<>();

    Entry(final Object object, final int hash) {
      this.object = new WeakReference<>(object);
      this.hash = hash;
    }
  }

  private volatile Entry[] table = new Entry[16];
  private int size;

  /** The field counts of {@code object}, or {@code null} when it never held a protected location. */
  Map<String, Integer> get(final Object object) {
    final int hash = System.identityHashCode(object);
    final Entry[] t = table;
    final int mask = t.length - 1;
    for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
      final Entry e = t[i];
      if (e == null) {
        return null;
      }
      if (e.hash == hash && e.object.get() == object) {
        return e.fields;
      }
    }
  }

  /** The field counts of {@code object}, made (empty) when absent. */
  synchronized Map<String, Integer> make(final Object object) {
    final Map<String, Integer> seen = get(object);
    if (seen != null) {
      return seen;
    }
    final Entry made = new Entry(object, System.identityHashCode(object));
    // At most half full, so that probes stay short and always end on an empty slot.
    int capacity = table.length;
    while ((size + 1) * 2 > capacity) {
      capacity *= 2;
    }
    final Entry[] next = new Entry[capacity];
    int live = 0;
    for (final Entry e : table) {
      if (e != null && e.object.get() != null) {
        insert(next, e);
        live++;
      }
    }
    insert(next, made);
    size = live + 1;
    table = next;
    return made.fields;
  }

  private static void insert(final Entry[] t, final Entry e) {
    final int mask = t.length - 1;
    int i = spread(e.hash) & mask;
    while (t[i] != null) {
      i = (i + 1) & mask;
    }
    t[i] = e;
  }

  /** Identity hashes are well spread already on HotSpot; mixing guards against ones that are not. */
  private static int spread(final int hash) {
    return hash ^ (hash >>> 16);
  }
}
