package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A super call to a protected method of a superclass in another package ({@code super.clone()}, as every
 * {@code clone()} of fastutil's and hppc's collections makes) is one the lookup class may make and its hidden
 * residual class, no subclass, may not: it stays residual through the lookup's {@code findSpecial} handle, as a
 * super call to an inaccessible target already did, where it was declined as "not accessible from lookup class".
 */
class ProtectedSuperCallTest {

  /** Copies itself through {@code Object.clone}, protected in {@code java.lang}. */
  public static final class Tally implements Cloneable {
    int count;
    final int[] marks = {1, 2};

    public Tally copy() throws CloneNotSupportedException {
      final Tally t = (Tally) super.clone();
      t.count++;
      return t;
    }
  }

  /** Not {@code Cloneable}: {@code Object.clone} throws. */
  public static final class Plain {
    public Object copy() throws CloneNotSupportedException {
      return super.clone();
    }
  }

  private static MethodHandles.Lookup lookupIn(final Class<?> c) throws IllegalAccessException {
    return MethodHandles.privateLookupIn(c, MethodHandles.lookup());
  }

  @Test
  void aProtectedSuperCallOnAKnownReceiverStaysResidualThroughAHandle() throws Exception {
    final Tally tally = new Tally();
    tally.count = 4;
    final Specialization<Supplier> s = Specializer.of(lookupIn(Tally.class)).method(Tally.class, "copy")
        .known(0, tally).as(Supplier.class).specialize();
    assertThat(s.dump()).contains("invokeExact").doesNotContain("INVOKESPECIAL");
    final Tally copy = (Tally) s.function().get();
    assertThat(copy).isNotSameAs(tally);
    assertThat(copy.count).isEqualTo(5);
    assertThat(copy.marks).as("a shallow copy, as Object.clone makes").isSameAs(tally.marks);
    assertThat(tally.count).isEqualTo(4);
  }

  @Test
  void aProtectedSuperCallOnAnUnknownReceiverThrowsAsTheOriginal() throws Exception {
    final Function<Object, Object> f = Specializer.of(lookupIn(Plain.class)).method(Plain.class, "copy")
        .as(Function.class).specialize().function();
    assertThatThrownBy(() -> f.apply(new Plain())).isInstanceOf(CloneNotSupportedException.class);
    assertThatThrownBy(() -> f.apply(null)).isInstanceOf(NullPointerException.class);
  }
}
