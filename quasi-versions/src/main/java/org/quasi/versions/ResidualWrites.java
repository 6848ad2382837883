package org.quasi.versions;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.quasi.specializer.Dependency;

/**
 * Finds writes to quasi-invariant fields in residual code. The specializer reads the original class files, so its
 * residual {@code putfield}s are not woven: a version that stores into a field versions rely on would bypass the
 * guard, and the version manager declines it.
 */
final class ResidualWrites {

  private ResidualWrites() {
  }

  /**
   * Returns the first of {@code writes} ({@code Owner.field}, as
   * {@link org.quasi.specializer.ResidualCode#fieldsWritten} gives them) to a field named by {@code quasiInvariants}
   * or by a dependency, by simple name, or {@code null}.
   * Conservative: a write through a subclass reference to an inherited field matches by name.
   */
  static String firstWriteTo(final List<String> writes, final Map<Class<?>, List<String>> quasiInvariants,
      final List<Dependency> deps) {
    final Set<String> names = new HashSet<>();
    for (final Map.Entry<Class<?>, List<String>> e : quasiInvariants.entrySet()) {
      names.addAll(e.getValue());
    }
    for (final Dependency d : deps) {
      if (d.field() != null) {
        names.add(d.field());
      }
    }
    for (final String w : writes) {
      if (names.contains(w.substring(w.lastIndexOf('.') + 1))) {
        return w;
      }
    }
    return null;
  }
}
