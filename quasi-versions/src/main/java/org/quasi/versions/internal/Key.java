package org.quasi.versions.internal;

import java.util.Arrays;

/**
 * The values of an entry point's key arguments for one call: objects compared by identity (a version relies on that
 * object's fields), boxed primitives and strings by value (the specializer folds them as constants).
 */
public final class Key {

  private final Object[] values;
  private final int hash;

  public Key(final Object[] values) {
    this.values = values.clone();
    int h = 1;
    for (final Object v : this.values) {
      h = 31 * h + (byValue(v) ? v.hashCode() : System.identityHashCode(v));
    }
    this.hash = h;
  }

  @Override
  public boolean equals(final Object other) {
    if (!(other instanceof Key k) || k.values.length != values.length || k.hash != hash) {
      return false;
    }
    for (int i = 0; i < values.length; i++) {
      final Object a = values[i];
      final Object b = k.values[i];
      if (byValue(a) ? !a.equals(b) : a != b) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }

  private static boolean byValue(final Object v) {
    return v instanceof Number || v instanceof Character || v instanceof Boolean || v instanceof String;
  }
}
