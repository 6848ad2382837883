package org.quasi.specializer.corpus;

/**
 * Corpus: code whose residual form the clean-up passes shrink, so that they are differential-tested — loops whose
 * control is unknown (counting down, writing an array), an operand loaded before a value computed from others,
 * values moved into a loop's variables that a handler reads, calls on a receiver that may be null, and static
 * calls into a class whose initializer has an effect.
 */
public final class CorpusCleanup {
  private CorpusCleanup() {
  }

  /** Widens with a substitute for negative elements: a loop with unknown control that stores into an array. */
  public static long[] widen(final int[] a) {
    if (a == null) {
      return null;
    }
    final long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] < 0 ? 16L : a[i];
    }
    return r;
  }

  /** A hash over the first n elements, counting down: the control local is written by the loop. */
  public static int hashDown(final int[] a, final int n) {
    int h = 0;
    for (int i = Math.min(n, a.length) - 1; i >= 0; i--) {
      h = 31 * h + a[i];
    }
    return h;
  }

  /** {@code i} is loaded before {@code a.length} is computed: no {@code swap} needed in the residual code. */
  public static boolean below(final int i, final int[] a) {
    return i < a.length && i + 1 < a.length;
  }

  /** The handler reads the loop's variables where the division threw. */
  public static int divideAll(final int[] a, final int k) {
    int i = 0;
    int sum = 0;
    try {
      for (; i < k; i++) {
        sum += 12 / a[i];
      }
    } catch (ArithmeticException e) {
      return -1000 * i - sum;
    } catch (ArrayIndexOutOfBoundsException e) {
      return 1000 * i + sum;
    }
    return sum;
  }

  /** Reads through a node that may be null: the inlined accessor's null check is the field read itself. */
  public static int valuePlus(final Node n, final int x) {
    return value(n) + x;
  }

  private static int value(final Node n) {
    return n.value;
  }

  /** {@code new IllegalArgumentException(Integer.toString(x))}: the allocation comes before its argument. */
  public static int half(final int x) {
    if (x % 2 != 0) {
      throw new IllegalArgumentException(Integer.toString(x));
    }
    return x / 2;
  }

  /** {@code !Arrays.asList(a).isEmpty()}: the negation of a boolean call, returned. */
  public static boolean notEmpty(final Object[] a) {
    return !java.util.Arrays.asList(a).isEmpty();
  }

  /** {@code Arrays.binarySearch(a, 0, a.length, key)}: the length is computed after the operands before it. */
  public static int search(final int[] a, final int key) {
    return java.util.Arrays.binarySearch(a, 0, a.length, key);
  }

  /** {@code new Tagged(7, Integer.toString(x))}: the allocation comes before both its arguments. */
  public static Tagged tagged(final int x) {
    return new Tagged(7, Integer.toString(x));
  }

  /** {@code new Tagged(s.length(), Integer.toString(x))}: two arguments computed in turn, each by a call. */
  public static Tagged taggedLength(final String s, final int x) {
    return new Tagged(s.length(), Integer.toString(x));
  }

  /** A class without static initializer: allocating it has no effect but the allocation. */
  public record Tagged(int tag, String text) {
  }

  /** Two checks that throw the same exception with the same message: one copy of the throw is enough. */
  public static int bothNamed(final String a, final String b) {
    if (a == null) {
      throw new IllegalArgumentException("a name is missing");
    }
    if (b == null) {
      throw new IllegalArgumentException("a name is missing");
    }
    return a.length() + b.length();
  }

  /**
   * {@code t} returned on both sides of a branch on {@code flag}, and {@code u} computed on the second side only: the
   * two {@code return t} are one tail, which the second side must still reach with its {@code t}.
   */
  public static int keptAcrossAReturn(final boolean flag, final int x, final int[] out) {
    final int t = x * 7;
    if (flag) {
      return t;
    }
    final int u = x + 1;
    out[0] = u;
    out[1] = u;
    return t;
  }

  /** {@link #keptAcrossAReturn}'s type. */
  public interface KeptAcrossAReturn {
    int apply(boolean flag, int x, int[] out);
  }

  /** Two static calls into a class with an initializer that has an effect: it is initialized once. */
  public static int twiceTwice(final int x, final int y) {
    return Counted.twice(x) + Counted.twice(y);
  }

  /** A class whose initializer counts its runs: its trigger must stay where initialization may not have happened. */
  public static final class Counted {
    /** How many times the initializer ran (once per class loader). */
    public static int runs;

    static {
      runs++;
    }

    private Counted() {
    }

    static int twice(final int x) {
      return 2 * x;
    }
  }
}
