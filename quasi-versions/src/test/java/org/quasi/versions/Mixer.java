package org.quasi.versions;

/** A method keyed on every kind of JVM value, for the inline cache's key compares. */
public final class Mixer {

  private Mixer() {
  }

  /** The entry point's shape: every argument, each a key. */
  public interface Mix {
    long mix(Object o, int i, long l, float f, double d, boolean b, char c);
  }

  /** What {@link #isMarker} compares with, by identity. */
  public static final String MARKER = "marker";

  /** An identity test: a version for {@link #MARKER} folds it to {@code true}. */
  public interface Identity {
    boolean isMarker(Object o);
  }

  public static boolean isMarker(final Object o) {
    return o == MARKER;
  }

  /** Every argument leaves a trace in the result, so a call answered by another key's version shows. */
  public static long mix(final Object o, final int i, final long l, final float f, final double d, final boolean b,
      final char c) {
    long h = o instanceof String s ? s.length() : o == null ? -1 : 7;
    h = h * 31 + i;
    h = h * 31 + l;
    h = h * 31 + Float.floatToIntBits(f);
    h = h * 31 + Double.doubleToLongBits(d);
    h = h * 31 + (b ? 1 : 0);
    return h * 31 + c;
  }
}
