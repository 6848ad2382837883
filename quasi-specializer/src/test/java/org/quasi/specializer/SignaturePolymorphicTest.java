package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * Calls of signature-polymorphic methods ({@code VarHandle.get}, {@code MethodHandle.invokeExact}) resolve by name
 * alone (JVMS 5.4.3.3), not by their call site's descriptor: they are specialized as residual calls, where they were
 * declined as methods that "do not resolve" (xz's {@code ByteArrayView.getIntBE} reads through such a handle).
 */
class SignaturePolymorphicTest {
  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final MethodHandle MAX = max();

  private static MethodHandle max() {
    try {
      return LOOKUP.findStatic(Math.class, "max", MethodType.methodType(int.class, int.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code invokevirtual VarHandle.get([BI)I}. */
  static int intAt(final byte[] bytes, final int offset) {
    return (int) INT_BE.get(bytes, offset);
  }

  /** A write through the handle into an array the method allocated: the element read after it is the handle's. */
  static int highByte(final int value) {
    final byte[] b = new byte[4];
    b[0] = 7;
    INT_BE.set(b, 0, value);
    return b[0];
  }

  /** {@code invokevirtual MethodHandle.invokeExact(II)I}. */
  static int atLeast(final int floor, final int x) throws Throwable {
    return (int) MAX.invokeExact(floor, x);
  }

  @Test
  void aVarHandleReadStaysACall() throws Exception {
    final Specialization<ToIntFunction<byte[]>> s = Specializer.of(LOOKUP)
        .method(SignaturePolymorphicTest.class, "intAt", byte[].class, int.class).known(1, 2)
        .<ToIntFunction<byte[]>>as(cast()).specialize();
    assertThat(s.dump()).contains("java/lang/invoke/VarHandle.get ([BI)I");
    final byte[] bytes = {1, 2, 3, 4, 5, 6};
    assertThat(s.function().applyAsInt(bytes)).isEqualTo(intAt(bytes, 2)).isEqualTo(0x03040506);
  }

  @Test
  void aVarHandleWriteForgetsWhatWasKnownOfTheArray() throws Exception {
    final IntUnaryOperator f = Specializer.of(LOOKUP).method(SignaturePolymorphicTest.class, "highByte", int.class)
        .as(IntUnaryOperator.class).specialize().function();
    assertThat(f.applyAsInt(0x12345678)).isEqualTo(highByte(0x12345678)).isEqualTo(0x12);
    assertThat(f.applyAsInt(-1)).isEqualTo(-1);
  }

  @Test
  void aMethodHandleInvocationStaysACall() throws Throwable {
    final Specialization<IntUnaryOperator> s = Specializer.of(LOOKUP)
        .method(SignaturePolymorphicTest.class, "atLeast", int.class, int.class).known(0, 10)
        .as(IntUnaryOperator.class).specialize();
    assertThat(s.dump()).contains("java/lang/invoke/MethodHandle.invokeExact (II)I");
    assertThat(s.function().applyAsInt(3)).isEqualTo(atLeast(10, 3)).isEqualTo(10);
    assertThat(s.function().applyAsInt(12)).isEqualTo(12);
    final IntBinaryOperator whole = Specializer.of(LOOKUP)
        .method(SignaturePolymorphicTest.class, "atLeast", int.class, int.class).as(IntBinaryOperator.class)
        .specialize().function();
    assertThat(whole.applyAsInt(-4, -9)).isEqualTo(-4);
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast() {
    return (Class<T>) (Class<?>) ToIntFunction.class;
  }
}
