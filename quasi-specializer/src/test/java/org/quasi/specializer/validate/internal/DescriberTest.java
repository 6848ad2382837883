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
}
