package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.quasi.specializer.facade.Facade;

/**
 * A public member a public class inherits from a package-private one is accessible from any class through the
 * public one (JVMS 5.4.4 checks a public member's access through the class its reference names alone): kotlinc's
 * multifile facades call {@code CharsKt.checkRadix}, declared in the package-private {@code CharsKt__CharJVMKt}.
 * Such calls were declined as "not accessible from lookup class" (kotlin-stdlib 2.4.21: {@code
 * UnsignedKt.ulongToString}).
 */
class InheritedPublicMemberTest {

  /** Calls and reads the facade's inherited members from another package. */
  public static final class Caller {
    private Caller() {}

    public static int digit(final int radix, final int i) {
      return Facade.checkRadix(radix) * 10 + Facade.DIGITS[i];
    }
  }

  @Test
  void aPublicMemberInheritedFromAPackagePrivateClassIsReachedThroughThePublicOne() throws Exception {
    final IntBinaryOperator f = Specializer.of(MethodHandles.lookup()).method(Caller.class, "digit", int.class,
        int.class).as(IntBinaryOperator.class).specialize().function();
    assertThat(f.applyAsInt(16, 2)).isEqualTo(Caller.digit(16, 2)).isEqualTo(169);
    assertThatThrownBy(() -> f.applyAsInt(1, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("radix 1 was not in valid range");
    assertThatThrownBy(() -> f.applyAsInt(10, 3)).isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }
}
