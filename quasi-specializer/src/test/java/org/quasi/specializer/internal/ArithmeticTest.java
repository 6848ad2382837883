package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.internal.Value.Known;

/**
 * Folding must be the JVM's arithmetic exactly: each opcode folded on random operands equals what Java computes for
 * the same operator (the compiler emits that very opcode), edge values included by jqwik's generators.
 */
class ArithmeticTest {

  @Property(tries = 300)
  void intOperatorsFoldLikeTheJvm(@ForAll final int a, @ForAll final int b) {
    assertThat(fold(IADD, a, b)).isEqualTo(a + b);
    assertThat(fold(ISUB, a, b)).isEqualTo(a - b);
    assertThat(fold(IMUL, a, b)).isEqualTo(a * b);
    assertThat(fold(IAND, a, b)).isEqualTo(a & b);
    assertThat(fold(IOR, a, b)).isEqualTo(a | b);
    assertThat(fold(IXOR, a, b)).isEqualTo(a ^ b);
    assertThat(fold(ISHL, a, b)).isEqualTo(a << b);
    assertThat(fold(ISHR, a, b)).isEqualTo(a >> b);
    assertThat(fold(IUSHR, a, b)).isEqualTo(a >>> b);
    if (b != 0) {
      assertThat(fold(IDIV, a, b)).isEqualTo(a / b);
      assertThat(fold(IREM, a, b)).isEqualTo(a % b);
    }
  }

  @Property(tries = 300)
  void longOperatorsFoldLikeTheJvm(@ForAll final long a, @ForAll final long b, @ForAll final int s) {
    assertThat(foldLong(LADD, a, b)).isEqualTo(a + b);
    assertThat(foldLong(LMUL, a, b)).isEqualTo(a * b);
    assertThat(foldLong(LXOR, a, b)).isEqualTo(a ^ b);
    assertThat(Arithmetic.binary(LSHL, Known.ofLong(a), Known.ofInt(s)).asLong()).isEqualTo(a << s);
    assertThat(Arithmetic.binary(LUSHR, Known.ofLong(a), Known.ofInt(s)).asLong()).isEqualTo(a >>> s);
    assertThat(Arithmetic.binary(LCMP, Known.ofLong(a), Known.ofLong(b)).asInt()).isEqualTo(Long.compare(a, b));
    if (b != 0) {
      assertThat(foldLong(LDIV, a, b)).isEqualTo(a / b);
      assertThat(foldLong(LREM, a, b)).isEqualTo(a % b);
    }
  }

  @Property(tries = 300)
  void floatingPointFoldsLikeTheJvm(@ForAll final double a, @ForAll final double b, @ForAll final float f) {
    assertThat(Arithmetic.binary(DREM, Known.ofDouble(a), Known.ofDouble(b)).value()).isEqualTo(a % b);
    assertThat(Arithmetic.binary(DDIV, Known.ofDouble(a), Known.ofDouble(b)).value()).isEqualTo(a / b);
    assertThat(Arithmetic.unary(D2I, Known.ofDouble(a)).asInt()).isEqualTo((int) a);
    assertThat(Arithmetic.unary(D2L, Known.ofDouble(a)).asLong()).isEqualTo((long) a);
    assertThat(Arithmetic.unary(F2I, Known.ofFloat(f)).asInt()).isEqualTo((int) f);
    assertThat(Arithmetic.unary(D2F, Known.ofDouble(a)).value()).isEqualTo((float) a);
    final int cmpl = Arithmetic.binary(DCMPL, Known.ofDouble(a), Known.ofDouble(b)).asInt();
    final int cmpg = Arithmetic.binary(DCMPG, Known.ofDouble(a), Known.ofDouble(b)).asInt();
    assertThat(cmpl).isEqualTo(a > b ? 1 : a == b ? 0 : -1);
    assertThat(cmpg).isEqualTo(a < b ? -1 : a == b ? 0 : 1);
  }

  @Test
  void divisionByZeroIsNeverFolded() {
    assertThat(Arithmetic.binary(IDIV, Known.ofInt(1), Known.ofInt(0))).isNull();
    assertThat(Arithmetic.binary(IREM, Known.ofInt(1), Known.ofInt(0))).isNull();
    assertThat(Arithmetic.binary(LDIV, Known.ofLong(1), Known.ofLong(0))).isNull();
    assertThat(Arithmetic.binary(LREM, Known.ofLong(1), Known.ofLong(0))).isNull();
    assertThat(Arithmetic.binary(FDIV, Known.ofFloat(1), Known.ofFloat(0)).value()).isEqualTo(Float.POSITIVE_INFINITY);
  }

  @Test
  void identitiesKeepTheUnknownOperand() {
    final Value x = new Value.Unknown(Value.Kind.INT, 7);
    assertThat(Arithmetic.identity(IADD, x, Known.ofInt(0))).isSameAs(x);
    assertThat(Arithmetic.identity(IMUL, Known.ofInt(1), x)).isSameAs(x);
    assertThat(Arithmetic.identity(IMUL, x, Known.ofInt(0))).isEqualTo(Known.ofInt(0));
    assertThat(Arithmetic.identity(ISHL, x, Known.ofInt(32))).isSameAs(x);
    assertThat(Arithmetic.identity(IDIV, x, Known.ofInt(0))).isNull();
    assertThat(Arithmetic.identity(ISUB, Known.ofInt(0), x)).isNull();
  }

  private static int fold(final int op, final int a, final int b) {
    return Arithmetic.binary(op, Known.ofInt(a), Known.ofInt(b)).asInt();
  }

  private static long foldLong(final int op, final long a, final long b) {
    return Arithmetic.binary(op, Known.ofLong(a), Known.ofLong(b)).asLong();
  }
}
