package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link SafeClose}: closing never throws in place of what ended the run. */
class SafeCloseTest {

  @Test
  void theSameErrorFromTheBodyAndFromCloseIsNotAddedToItself() {
    // The JVM may throw one shared OutOfMemoryError instance twice; try-with-resources would then throw
    // IllegalArgumentException("Self-suppression not permitted").
    final OutOfMemoryError shared = new OutOfMemoryError("Java heap space");
    final AutoCloseable failing = () -> {
      throw shared;
    };
    assertThat(SafeClose.closeAll(shared, failing)).isSameAs(shared);
    assertThat(shared.getSuppressed()).isEmpty();
  }

  @Test
  void everyResourceIsClosedAndOtherFailuresAreSuppressed() {
    final List<String> closed = new ArrayList<>();
    final IllegalStateException first = new IllegalStateException("first close");
    final Throwable out = SafeClose.closeAll(null, () -> {
      closed.add("a");
      throw first;
    }, null, () -> closed.add("b"), () -> {
      closed.add("c");
      throw new java.io.IOException("third close");
    });
    assertThat(closed).containsExactly("a", "b", "c");
    assertThat(out).isSameAs(first);
    assertThat(out.getSuppressed()).singleElement().hasToString("java.io.IOException: third close");
    assertThat(SafeClose.closeAll(null, () -> closed.add("d"))).isNull();
  }
}
