package org.quasi.specializer.corpus;

/** Corpus: the operand-stack shuffles javac emits for compound assignments (dup_x1, dup_x2, dup2_x1, dup2_x2). */
public final class CorpusStack {
  private CorpusStack() {
  }

  /** {@code return a[i]++;} on a long array: dup2, laload, dup2_x2, ladd, lastore. */
  public static long postIncrementLong(final long[] a, final int i) {
    return a[i]++;
  }

  /** {@code return a[i] = v;}: the stored value is also returned (dup_x2). */
  public static int storeAndReturn(final int[] a, final int i, final int v) {
    return a[i] = v;
  }

  /** {@code return a[i] += d;} on a double array (dup2_x2). */
  public static double compoundDouble(final double[] a, final int i, final double d) {
    return a[i] += d;
  }

  /** {@code return n.value = v;} (dup_x1) and {@code c.total += v} on a long field (dup2_x1). */
  public static long fieldChains(final Node n, final Config c, final int v) {
    final int stored = n.value = v;
    final long total = c.total += v;
    return stored + total;
  }

  /** {@code x = y = z = v} with a long and a swap-free mix of categories. */
  public static long chains(final int v, final long w) {
    int x;
    int y;
    long p;
    long q;
    x = y = v * 3;
    p = q = w - x;
    return x + y + p * q;
  }
}
