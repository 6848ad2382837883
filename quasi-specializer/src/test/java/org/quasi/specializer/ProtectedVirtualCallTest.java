package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * A virtual call to a protected method of a superclass in another package ({@code AbstractList.removeRange}, as
 * javaparser's nodes call {@code Node.setAsParentNodeOf} and commons-io's builders {@code asThis()}) is one the lookup
 * class may make on itself and its subclasses and its hidden residual class, no subclass, may not: left residual, it
 * goes through the lookup's {@code findVirtual} handle, overriding included, where it was declined as "not accessible
 * from lookup class".
 */
class ProtectedVirtualCallTest {

  /** A list that trims itself through the protected {@code AbstractList.removeRange}. */
  public static class Trimmed extends ArrayList<Integer> {
    private static final long serialVersionUID = 1L;

    public static int trim(final Trimmed list, final int from, final int to) {
      list.removeRange(from, to);
      return list.size();
    }
  }

  /** Overrides {@code removeRange}: the residual call must reach the override, as the original's does. */
  public static final class Counting extends Trimmed {
    private static final long serialVersionUID = 1L;
    int calls;

    @Override
    protected void removeRange(final int from, final int to) {
      calls++;
      super.removeRange(from, to);
    }
  }

  private static Trimmed of(final Trimmed list, final int... values) {
    for (final int v : values) {
      list.add(v);
    }
    return list;
  }

  @Test
  void aProtectedVirtualCallOnAnUnknownReceiverStaysResidualThroughAHandle() throws Exception {
    final Specialization<ToIntFunction<Trimmed>> s = Specializer.of(MethodHandles.privateLookupIn(Trimmed.class,
        MethodHandles.lookup())).method(Trimmed.class, "trim", Trimmed.class, int.class, int.class)
        .known(1, 1).known(2, 3).<ToIntFunction<Trimmed>>as(cast(ToIntFunction.class)).specialize();
    assertThat(s.dump()).contains("invokeExact").doesNotContain("removeRange");
    final ToIntFunction<Trimmed> f = s.function();
    final Trimmed plain = of(new Trimmed(), 10, 20, 30, 40, 50);
    assertThat(f.applyAsInt(plain)).isEqualTo(3);
    assertThat((List<Integer>) plain).containsExactly(10, 40, 50);
    final Counting counting = (Counting) of(new Counting(), 1, 2, 3);
    assertThat(f.applyAsInt(counting)).isEqualTo(1);
    assertThat(counting.calls).as("the override ran").isEqualTo(1);
    assertThatThrownBy(() -> f.applyAsInt(of(new Trimmed(), 1))).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> f.applyAsInt(null)).isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast(final Class<?> c) {
    return (Class<T>) c;
  }
}
