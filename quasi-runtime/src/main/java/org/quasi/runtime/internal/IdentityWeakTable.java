package org.quasi.runtime.internal;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A map from objects, compared by identity and held weakly, to values: the side table of QUIDs for objects whose class
 * was not woven. An entry disappears once its key is collected (expunged at the next access).
 *
 * <p>All methods are synchronized: the table is touched only on slow paths (installing a QUID, a guarded write to an
 * object whose class has a guarded instance).
 *
 * @param <V> the value type; values must not refer strongly to their key, or the key is never collected
 */
public final class IdentityWeakTable<V> {

  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
  private final Map<Key, V> entries = new HashMap<>();

  /** Returns the value for {@code key}, or {@code null}. */
  public synchronized V get(final Object key) {
    expunge();
    return entries.get(new Key(key, null));
  }

  /** Returns the value for {@code key}, computing and storing it when absent. */
  public synchronized V computeIfAbsent(final Object key, final Function<Object, V> make) {
    expunge();
    final V old = entries.get(new Key(key, null));
    if (old != null) {
      return old;
    }
    final V made = make.apply(key);
    entries.put(new Key(key, collected), made);
    return made;
  }

  /** How many live entries the table holds. */
  public synchronized int size() {
    expunge();
    return entries.size();
  }

  private void expunge() {
    for (Object ref = collected.poll(); ref != null; ref = collected.poll()) {
      entries.remove(ref);
    }
  }

  /** A weak key remembering its referent's identity hash, so it can still be removed once cleared. */
  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(final Object referent, final ReferenceQueue<Object> queue) {
      super(referent, queue);
      this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(final Object other) {
      if (this == other) {
        return true;
      }
      if (!(other instanceof Key k)) {
        return false;
      }
      final Object mine = get();
      return mine != null && mine == k.get();
    }
  }
}
