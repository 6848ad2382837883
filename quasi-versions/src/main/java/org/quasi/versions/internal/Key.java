package org.quasi.versions.internal;

import java.util.Arrays;

/**
 * The values of an entry point's key arguments for one call: keys of a primitive type (boxed here) compared by value,
 * keys of a reference type by identity, whatever their class. A version may rely on an object's identity (the
 * specializer folds {@code ==}, {@code System.identityHashCode} and locking on a known object), so an equal string or
 * box that is another object is another key, as the inline cache's compares have it.
 */
public final class Key {

  private final Object[] values;
  /** Per key, whether its type is primitive (compared by value); shared by every key of an entry point. */
  private final boolean[] byValue;
  private final int hash;

  /**
   * @param values  the key values, in key order (primitives boxed)
   * @param byValue per key, whether its declared type is primitive
   */
  public Key(final Object[] values, final boolean[] byValue) {
    this.values = values.clone();
    this.byValue = byValue;
    int h = 1;
    for (int i = 0; i < this.values.length; i++) {
      final Object v = this.values[i];
      h = 31 * h + (byValue[i] ? v.hashCode() : System.identityHashCode(v));
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
      if (byValue[i] ? !a.equals(b) : a != b) {
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
}
