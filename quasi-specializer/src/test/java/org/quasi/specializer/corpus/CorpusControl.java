package org.quasi.specializer.corpus;

/** Corpus: nested branches, switches and loops with known and unknown bounds. */
public final class CorpusControl {
  private CorpusControl() {
  }

  public static int nested(final int a, final int b, final int c) {
    if (a > 0) {
      if (b > 0) {
        return c > 0 ? 1 : 2;
      } else if (c > b) {
        return 3;
      }
      return 4;
    }
    return b == c ? 5 : a < -3 ? 6 : 7;
  }

  public static int tableSwitch(final int op, final int x) {
    switch (op) {
      case 0: return x + 1;
      case 1: return x - 1;
      case 2: return x * 2;
      case 3: return x / 2;
      case 4: return -x;
      default: return x;
    }
  }

  public static int lookupSwitch(final int key, final int x) {
    switch (key) {
      case -100: return x;
      case 7: return x + 7;
      case 1000: return x * 1000;
      case 123456: return 0;
      default: return x ^ key;
    }
  }

  public static int fallThrough(final int k, final int x) {
    int r = x;
    switch (k) {
      case 1:
        r += 1;
      case 2:
        r *= 2;
        break;
      case 3:
        r -= 3;
      default:
        r ^= 5;
    }
    return r;
  }

  public static int stringSwitch(final String s, final int x) {
    switch (s) {
      case "add": return x + 10;
      case "sub": return x - 10;
      case "mul": return x * 10;
      default: return s.length() + x;
    }
  }

  public static int sumTo(final int n) {
    int s = 0;
    for (int i = 0; i < n; i++) {
      s += i;
    }
    return s;
  }

  public static int sumRange(final int from, final int to, final int step) {
    int s = 0;
    if (step <= 0) {
      return -1;
    }
    for (int i = from; i < to; i += step) {
      s += i * i;
    }
    return s;
  }

  public static int whileLoop(final int n, final int x) {
    int i = n;
    int acc = x;
    while (i > 0) {
      acc = acc * 3 + i;
      i -= 2;
    }
    return acc;
  }

  public static int doWhile(final int n, final int x) {
    int i = 0;
    int acc = 1;
    do {
      acc += x + i;
      i++;
    } while (i < n);
    return acc;
  }

  public static int nestedLoops(final int n, final int m) {
    int s = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        if ((i + j) % 3 == 0) {
          continue;
        }
        if (i * j > 20) {
          break;
        }
        s += i * j;
      }
    }
    return s;
  }

  public static int collatz(final int n) {
    int x = n;
    int steps = 0;
    while (x > 1 && steps < 200) {
      x = (x % 2 == 0) ? x / 2 : 3 * x + 1;
      steps++;
    }
    return steps;
  }

  public static int swapLoop(final int a, final int b, final int n) {
    int x = a;
    int y = b;
    for (int i = 0; i < n; i++) {
      final int t = x;
      x = y;
      y = t + i;
    }
    return x * 31 + y;
  }

  public static long longLoop(final long seed, final int n) {
    long h = seed;
    for (int i = 0; i < n; i++) {
      h = h * 6364136223846793005L + 1442695040888963407L;
    }
    return h;
  }

  /**
   * A value known on each side of an unknown branch ({@code a}, from the known array's length), used after the join
   * only in arithmetic on the unknown argument: specializing the tail once per side would fold nothing.
   */
  public static int joinCopies(final int[] m, final int x) {
    final int k = m.length;
    final int a;
    if (x > 0) {
      a = k + 1;
    } else {
      a = k + 2;
    }
    int r = x;
    r = r * a + 7;
    r ^= r >>> 3;
    r = r * a + 11;
    r ^= r >>> 5;
    r = r * a + 13;
    r ^= r >>> 7;
    r = r * a + 17;
    return r ^ r >>> 11;
  }

  public static double doubleLoop(final double x, final int n) {
    double r = 1;
    for (int i = 0; i < n; i++) {
      r = r * x + i / 2.0;
    }
    return r;
  }

  public static int earlyReturnLoop(final int[] a, final int key) {
    if (a == null) {
      return -2;
    }
    for (int i = 0; i < a.length; i++) {
      if (a[i] == key) {
        return i;
      }
    }
    return -1;
  }

  public static int ternaryChain(final int x, final boolean flag) {
    final int y = flag ? x : -x;
    final int z = y > 10 ? 10 : y < -10 ? -10 : y;
    return flag == (z > 0) ? z : z * 2;
  }
}
