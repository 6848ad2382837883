package org.quasi.bench.specializer;

/**
 * A tiny expression language over two integer inputs {@code x} and {@code y}: the interpreter workload. Nodes are
 * immutable ({@code final} fields), so a known tree is a true invariant the specializer may fold completely.
 */
public abstract class Expr {

  /** Evaluates this expression for inputs {@code x} and {@code y}. */
  public abstract int eval(int x, int y);

  /** Evaluates {@code program} on {@code x} and {@code y}: the generic entry the specializer specializes. */
  public static int run(final Expr program, final int x, final int y) {
    return program.eval(x, y);
  }

  /** A constant. */
  public static final class Const extends Expr {
    final int value;

    public Const(final int value) {
      this.value = value;
    }

    @Override
    public int eval(final int x, final int y) {
      return value;
    }
  }

  /** Input {@code x} (index 0) or {@code y} (index 1). */
  public static final class Input extends Expr {
    final int index;

    public Input(final int index) {
      this.index = index;
    }

    @Override
    public int eval(final int x, final int y) {
      return index == 0 ? x : y;
    }
  }

  /** A binary operation: 0 add, 1 subtract, 2 multiply, 3 bitwise xor, 4 shift left by the right operand & 7. */
  public static final class Binary extends Expr {
    final int op;
    final Expr left;
    final Expr right;

    public Binary(final int op, final Expr left, final Expr right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    public int eval(final int x, final int y) {
      final int a = left.eval(x, y);
      final int b = right.eval(x, y);
      switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return a ^ b;
        default: return a << (b & 7);
      }
    }
  }

  /** {@code left < right ? then : otherwise}. */
  public static final class IfLess extends Expr {
    final Expr left;
    final Expr right;
    final Expr then;
    final Expr otherwise;

    public IfLess(final Expr left, final Expr right, final Expr then, final Expr otherwise) {
      this.left = left;
      this.right = right;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    public int eval(final int x, final int y) {
      return left.eval(x, y) < right.eval(x, y) ? then.eval(x, y) : otherwise.eval(x, y);
    }
  }

  /**
   * The benchmark's program, 20 nodes:
   * {@code (x < y ? (x*3 + y) ^ (y - 7) : (x - y) * (x + 5)) + ((x ^ 0x5a) << (y & 7)) * 2 - (y*y + 11)}.
   */
  public static Expr program() {
    final Expr x = new Input(0);
    final Expr y = new Input(1);
    final Expr then = new Binary(3, new Binary(0, new Binary(2, x, new Const(3)), y), new Binary(1, y, new Const(7)));
    final Expr otherwise = new Binary(2, new Binary(1, x, y), new Binary(0, x, new Const(5)));
    final Expr branch = new IfLess(x, y, then, otherwise);
    final Expr shift = new Binary(2, new Binary(4, new Binary(3, x, new Const(0x5a)), y), new Const(2));
    final Expr tail = new Binary(0, new Binary(2, y, y), new Const(11));
    return new Binary(1, new Binary(0, branch, shift), tail);
  }

  /** The program written by hand: what a programmer specializing {@link #program()} would write. */
  public static int hand(final int x, final int y) {
    final int branch = x < y ? (x * 3 + y) ^ (y - 7) : (x - y) * (x + 5);
    return branch + ((x ^ 0x5a) << (y & 7)) * 2 - (y * y + 11);
  }
}
