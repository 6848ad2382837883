package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A read of a protected field of a superclass in another package ({@code AbstractList.modCount}, as ejml's
 * decompositions read their base class's {@code alg}) is one the lookup class may make on itself and its subclasses
 * and its hidden residual class, no subclass, may not: left residual, it goes through the lookup's getter handle,
 * where it was declined as "not accessible from lookup class". A write of such a field stays declined, and says why.
 */
class ProtectedFieldReadTest {

  /** A list that reports its structural modifications through the protected {@code AbstractList.modCount}. */
  public static class Counted extends ArrayList<Integer> {
    private static final long serialVersionUID = 1L;

    public static int modifications(final Counted list, final int bias) {
      return list.modCount * 10 + bias;
    }

    public static int reset(final Counted list, final int to) {
      list.modCount = to;
      return to;
    }
  }

  private static MethodHandles.Lookup lookup() throws IllegalAccessException {
    return MethodHandles.privateLookupIn(Counted.class, MethodHandles.lookup());
  }

  @Test
  void aProtectedFieldOfAnUnknownReceiverIsReadThroughAHandle() throws Exception {
    final Specialization<ToIntFunction<Counted>> s = Specializer.of(lookup())
        .method(Counted.class, "modifications", Counted.class, int.class).known(1, 3)
        .<ToIntFunction<Counted>>as(cast(ToIntFunction.class)).specialize();
    assertThat(s.dump()).contains("invokeExact").doesNotContain("GETFIELD");
    final ToIntFunction<Counted> f = s.function();
    final Counted list = new Counted();
    assertThat(f.applyAsInt(list)).isEqualTo(Counted.modifications(list, 3));
    list.add(1);
    list.add(2);
    list.remove(0);
    assertThat(f.applyAsInt(list)).isEqualTo(Counted.modifications(list, 3)).isEqualTo(33);
    assertThatThrownBy(() -> f.applyAsInt(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void aWriteOfAProtectedFieldInheritedFromAnotherPackageIsDeclinedWithItsReason() throws Exception {
    assertThatThrownBy(() -> Specializer.of(lookup()).method(Counted.class, "reset", Counted.class, int.class)
        .known(1, 0).residual()).isInstanceOf(SpecializationDeclined.class)
        .hasMessageContaining("java.util.AbstractList.modCount is protected in another package")
        .hasMessageContaining("never written");
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast(final Class<?> c) {
    return (Class<T>) c;
  }
}
