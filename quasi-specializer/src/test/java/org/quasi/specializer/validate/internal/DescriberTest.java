package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Descriptions are deep, typed and free of identity. */
class DescriberTest {
  /** A plain object with a cycle through a list. */
  public static final class Cell {
    public int value = 3;
    public List<Object> next = new ArrayList<>();
  }

  @Test
  void boxesKeepTheirType() {
    assertThat(Describer.describe(1)).isEqualTo("Integer 1");
    assertThat(Describer.describe(1L)).isEqualTo("Long 1");
    assertThat(Describer.describe(new int[] {1, 2})).isEqualTo("int[Integer 1, Integer 2]");
  }

  @Test
  void objectsFieldByFieldWithCyclesMarked() {
    final Cell c = new Cell();
    c.next.add(c);
    assertThat(Describer.describe(c)).isEqualTo(
        "org.quasi.specializer.validate.internal.DescriberTest$Cell{value=Integer 3, next=java.util.ArrayList["
            + "<cycle org.quasi.specializer.validate.internal.DescriberTest$Cell>]}");
  }

  @Test
  void identityIsLeftOut() {
    assertThat(Describer.describe(new ReentrantLock())).isEqualTo(Describer.describe(new ReentrantLock()));
    final Supplier<String> a = () -> "a";
    assertThat(Describer.describe(a)).startsWith("a lambda implementing");
  }

  @Test
  void longTextsByLengthAndHash() {
    final String big = "x".repeat(10_000);
    assertThat(Describer.describe(big)).isEqualTo("String of 10000 chars, hash " + big.hashCode());
  }

  /**
   * A JDK object whose text names a lambda's class (an {@code Optional} of one; on JDK 22 and later, a collector)
   * reads the same whichever class created the lambda, as the residual code's lambdas live in another class.
   */
  @Test
  void lambdaClassNamesInsideJdkTextsAreLeftOut() {
    final Runnable here = () -> { };
    final Runnable there = Elsewhere.lambda();
    assertThat(here.getClass()).isNotEqualTo(there.getClass());
    assertThat(Describer.describe(java.util.Optional.of(here))).isEqualTo("java.util.Optional Optional[a lambda@…]")
        .isEqualTo(Describer.describe(java.util.Optional.of(there)));
    assertThat(Describer.describe(java.util.Optional.of("x$$Lambda"))).contains("x$$Lambda").doesNotContain("a lambda");
  }

  /** Makes a lambda in a class of its own. */
  static final class Elsewhere {
    private Elsewhere() {
    }

    static Runnable lambda() {
      return () -> { };
    }
  }

  /** A text whose {@code charAt} throws (a broken library object) is described by what it threw, alike each time. */
  @Test
  void aTextThatThrowsIsDescribedByWhatItThrew() {
    final CharSequence broken = new CharSequence() {
      @Override
      public int length() {
        return 3;
      }

      @Override
      public char charAt(final int index) {
        throw new IndexOutOfBoundsException(index);
      }

      @Override
      public CharSequence subSequence(final int start, final int end) {
        return this;
      }
    };
    assertThat(Describer.describe(new Object[] {"ok", broken})).isEqualTo(Describer.describe(new Object[] {"ok",
        broken})).contains("\"ok\"", "whose description threw java.lang.IndexOutOfBoundsException");
  }
}
