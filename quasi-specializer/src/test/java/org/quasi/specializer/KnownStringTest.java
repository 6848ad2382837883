package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A known string from the heap keeps its identity, and specializing leaves the JVM's string pool as it was: residual
 * code loads it from class data, and loads with {@code ldc} only the strings the code itself loads as constants.
 * And a character sequence of the program's is never run at specialization time, even when it is also a number.
 */
class KnownStringTest {

  static String same(final String s) {
    return s;
  }

  static String pick(final String s, final int x) {
    return x > 0 ? s : "literal-of-KnownStringTest";
  }

  @Test
  void aStringFromTheHeapIsNotInternedAndKeepsItsIdentity() throws Exception {
    // A text no constant of any class has: the pool has no instance of it.
    final String heap = new StringBuilder("quasi-").append(System.nanoTime()).append("-heap").toString();
    final Specialization<Supplier<String>> s = Specializer.of(MethodHandles.lookup())
        .method(KnownStringTest.class, "same", String.class).known(0, heap).<Supplier<String>>as(cast(Supplier.class))
        .specialize();
    assertThat(s.function().get()).isSameAs(heap);
    // Had the specializer interned it, the pool's instance of this text would be the heap string itself.
    final String copy = new String(heap.toCharArray());
    assertThat(copy.intern()).as("the pool's instance is the first one interned after specializing")
        .isSameAs(copy).isNotSameAs(heap);
  }

  @Test
  void theCodesOwnConstantIsTheInternedInstance() throws Exception {
    final Specialization<IntFunction<String>> s = Specializer.of(MethodHandles.lookup())
        .method(KnownStringTest.class, "pick", String.class, int.class).known(0, "unused")
        .<IntFunction<String>>as(cast(IntFunction.class)).specialize();
    assertThat(s.function().apply(-1)).isSameAs("literal-of-KnownStringTest");
  }

  /** A number of the program's that is also a character sequence, and counts the calls it gets. */
  static final class CountingNumber extends Number implements CharSequence {
    private static final long serialVersionUID = 1L;
    int calls;

    @Override
    public int length() {
      calls++;
      return 1;
    }

    @Override
    public char charAt(final int index) {
      calls++;
      return 'a';
    }

    @Override
    public CharSequence subSequence(final int start, final int end) {
      return "a".subSequence(start, end);
    }

    @Override
    public String toString() {
      return "a";
    }

    @Override
    public int intValue() {
      return 1;
    }

    @Override
    public long longValue() {
      return 1;
    }

    @Override
    public float floatValue() {
      return 1;
    }

    @Override
    public double doubleValue() {
      return 1;
    }
  }

  static boolean sameText(final String s, final CharSequence c) {
    return s.contentEquals(c);
  }

  @Test
  void aCharSequenceOfTheProgramsRunsWhenTheResidualCodeRunsNotBefore() throws Exception {
    final CountingNumber n = new CountingNumber();
    final Specialization<Supplier<Boolean>> s = Specializer.of(MethodHandles.lookup())
        .method(KnownStringTest.class, "sameText", String.class, CharSequence.class).known(0, "a").known(1, n)
        .<Supplier<Boolean>>as(cast(Supplier.class)).specialize();
    assertThat(n.calls).as("not run by the specializer").isZero();
    assertThat(s.function().get()).isTrue();
    assertThat(n.calls).isPositive();
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast(final Class<?> raw) {
    return (Class<T>) raw;
  }
}
