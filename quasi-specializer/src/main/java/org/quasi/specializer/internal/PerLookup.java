package org.quasi.specializer.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Least-recently-used maps kept per lookup class, for what the specializer remembers across requests (assembled
 * class files, templates): per lookup class because what was made through one lookup's access is not another's to
 * reuse, and in a {@link ClassValue} so that a lookup class that is unloaded takes its entries with it. Callers
 * synchronize on the map.
 */
final class PerLookup {

  private PerLookup() {
  }

  /** Maps per lookup class, each keeping at most {@code maxEntries}, the least recently used dropped first. */
  static <K, V> ClassValue<Map<K, V>> lru(final int maxEntries) {
    return new ClassValue<>() {
      @Override
      protected Map<K, V> computeValue(final Class<?> lookupClass) {
        return new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(final Map.Entry<K, V> eldest) {
            return size() > maxEntries;
          }
        };
      }
    };
  }
}
