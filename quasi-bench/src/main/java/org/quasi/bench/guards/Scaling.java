package org.quasi.bench.guards;

/** The generic code the entry-point benchmark specializes on a cell's quasi-invariant value. */
public final class Scaling {

  private Scaling() {
  }

  /** The entry point's shape: the cell (the key) and the argument. */
  public interface Scale {
    int apply(Object cell, int x);
  }

  /** The residual shape: the key removed. */
  public interface IntOp {
    int apply(int x);
  }

  /** This class's own full-privilege lookup: how the woven copy (another loader) grants the specializer access. */
  public static java.lang.invoke.MethodHandles.Lookup lookup() {
    return java.lang.invoke.MethodHandles.lookup();
  }

  public static int scale(final Cell cell, final int x) {
    return x * cell.value + 1;
  }
}
