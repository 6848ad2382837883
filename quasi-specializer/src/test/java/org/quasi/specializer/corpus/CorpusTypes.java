package org.quasi.specializer.corpus;

import org.quasi.specializer.corpus.Shapes.Base;
import org.quasi.specializer.corpus.Shapes.Circle;
import org.quasi.specializer.corpus.Shapes.Shape;
import org.quasi.specializer.corpus.Shapes.Square;

/** Corpus: class hierarchies (casts, instanceof, overriding), long/double comparisons, multi-dimensional arrays. */
public final class CorpusTypes {
  private CorpusTypes() {
  }

  public static double casts(final Shape s, final int k) {
    double r = 0;
    if (s instanceof Base b) {
      r += b.scaled(k);
    }
    if (s instanceof Square q) {
      r += q.side;
    }
    final Circle c = (Circle) s;
    return r + c.radius;
  }

  public static String overriding(final int kind, final int scale) {
    final Shape s = Shapes.of(kind, scale);
    final Base b = (Base) s;
    return s.name() + s.describe() + b.scaled(2) + (s instanceof Circle);
  }

  public static int multiArray(final int a, final int b) {
    final int[][] m = new int[a][b];
    final long[][][] z = new long[2][3][];
    z[1][2] = new long[] {a, b};
    if (a > 0 && b > 0) {
      m[a - 1][b - 1] = 7;
    }
    return m.length + (a > 0 ? m[0].length + m[a - 1][b > 0 ? b - 1 : 0] : 0) + (int) z[1][2][1] + z[0].length;
  }

  public static int longDouble(final long a, final double d, final float f) {
    int r = a < d ? 1 : a == d ? 2 : 3;
    r += Long.compare(a, (long) d) * 10 + Double.compare(d, (double) a) * 100 + Float.compare(f, (float) d) * 1000;
    r += (a >>> 3) > (long) f ? 10_000 : 0;
    r += d != d ? 100_000 : 0;
    return r + (int) (a % 7) + (int) (d % 3) + (int) Math.signum(f);
  }
}
