package org.quasi.specializer.internal;

import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Type;

/**
 * Which heap knowledge residual writes have killed on the current path. Folding a quasi-invariant read is only sound
 * while nothing earlier in the residual code may have written that location: a residual {@code putfield F} kills F on
 * every object (no alias analysis), a residual array store kills all array elements, and a residual call to code the
 * specializer cannot see kills every quasi-invariant. {@code final} fields are never killed.
 *
 * <p>Immutable; part of the key of a specialized program point.
 */
final class HeapKills {
  static final HeapKills NONE = new HeapKills(Set.of(), false, false);

  private final Set<String> fields;
  final boolean arrays;
  final boolean all;

  private HeapKills(final Set<String> fields, final boolean arrays, final boolean all) {
    this.fields = fields;
    this.arrays = arrays;
    this.all = all;
  }

  boolean fieldKilled(final String declaringOwner, final String name) {
    return all || !fields.isEmpty() && fields.contains(declaringOwner + '.' + name);
  }

  /**
   * Whether {@code field} is killed. Its key is built only when some field is killed: this is asked at every
   * quasi-invariant read the evaluator folds, mostly on paths that wrote nothing yet.
   */
  boolean fieldKilled(final Field field) {
    return all || !fields.isEmpty()
        && fields.contains(Type.getInternalName(field.getDeclaringClass()) + '.' + field.getName());
  }

  boolean arraysKilled() {
    return all || arrays;
  }

  HeapKills killField(final String declaringOwner, final String name) {
    final String key = declaringOwner + '.' + name;
    if (all || fields.contains(key)) {
      return this;
    }
    final Set<String> more = new HashSet<>(fields);
    more.add(key);
    return new HeapKills(Set.copyOf(more), arrays, false);
  }

  HeapKills killArrays() {
    return all || arrays ? this : new HeapKills(fields, true, false);
  }

  HeapKills killAll() {
    return all ? this : new HeapKills(Set.of(), true, true);
  }

  /** Returns what is killed on either path (used where paths join). */
  HeapKills union(final HeapKills other) {
    if (this == other || other == NONE) {
      return this;
    }
    if (this == NONE) {
      return other;
    }
    if (all || other.all) {
      return all ? this : other;
    }
    final Set<String> both = new HashSet<>(fields);
    both.addAll(other.fields);
    return new HeapKills(Set.copyOf(both), arrays || other.arrays, false);
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof HeapKills k && k.all == all && k.arrays == arrays && k.fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode() * 31 + (arrays ? 2 : 0) + (all ? 1 : 0);
  }
}
