package org.quasi.specializer.corpus;

/** Corpus: arithmetic, conversions and comparisons on int, long, float and double, with JVM edge cases. */
public final class CorpusArith {
  private CorpusArith() {
  }

  public static int poly(final int x, final int y) {
    return 3 * x * x - 2 * x * y + y - 7;
  }

  public static int divide(final int a, final int b) {
    return a / b + a % b;
  }

  public static long longOps(final long a, final long b, final int shift) {
    return (a * b) ^ (a >>> shift) + (b << shift) - (a >> (shift + 1)) | (a & ~b);
  }

  public static long longDivide(final long a, final long b) {
    return a / b - a % b;
  }

  public static int shifts(final int x, final int s) {
    return (x << s) + (x >> s) + (x >>> s);
  }

  public static double doubles(final double a, final double b) {
    return a * b + a / b - a % b + Math.sqrt(Math.abs(a));
  }

  public static float floats(final float a, final float b) {
    return -a * b + a / b + a % b;
  }

  public static int conversions(final double d, final long l) {
    final int i = (int) d;
    final long back = (long) d;
    final float f = (float) l;
    final byte by = (byte) l;
    final char c = (char) l;
    final short s = (short) (l >> 3);
    return i + (int) back + (int) f + by + c + s + (int) (float) d;
  }

  public static int compareDoubles(final double a, final double b) {
    int r = 0;
    if (a < b) {
      r += 1;
    }
    if (a > b) {
      r += 2;
    }
    if (a == b) {
      r += 4;
    }
    if (!(a <= b)) {
      r += 8;
    }
    return r + Double.compare(a, b) * 16;
  }

  public static int compareFloats(final float a, final float b) {
    return (a < b ? 1 : 0) + (a > b ? 2 : 0) + (a == b ? 4 : 0) + (a != a ? 8 : 0);
  }

  public static int compareLongs(final long a, final long b) {
    return (a < b ? -1 : a == b ? 0 : 1) + Long.signum(a - b) * 10;
  }

  public static boolean logic(final boolean a, final boolean b, final int x) {
    return a && (b || x > 3) || !a && x % 2 == 0;
  }

  public static char chars(final char c, final int k) {
    return (char) (Character.isLetter(c) ? c + k : c - k);
  }

  public static int mixed(final byte b, final short s, final char c, final int i) {
    return b * s + c - i;
  }

  public static long widen(final int a, final int b) {
    final long la = a;
    return la * b + (long) Integer.MAX_VALUE * a;
  }

  public static double nanAndInfinity(final double x) {
    final double inf = 1.0 / x;
    return inf != inf ? -1 : inf > 1e300 ? 1 : inf < -1e300 ? 2 : inf;
  }

  public static int overflow(final int x) {
    final int a = x * 1_000_000;
    final int b = Integer.MAX_VALUE + x;
    return a - b + Math.abs(Integer.MIN_VALUE + x);
  }

  public static int negativeZero(final double d) {
    return 1.0 / (d * 0.0) > 0 ? 1 : 2;
  }
}
