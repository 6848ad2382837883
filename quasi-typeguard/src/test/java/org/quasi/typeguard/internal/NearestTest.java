package org.quasi.typeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NearestTest {

  @Test
  void distanceCountsEdits() {
    assertThat(Nearest.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(Nearest.distance("", "abc")).isEqualTo(3);
    assertThat(Nearest.distance("uid", "uid")).isZero();
  }

  @Test
  void namesAreNearestFirstThenAlphabetical() {
    assertThat(Nearest.names("euod", List.of("count", "uid", "euid", "zzzz"), 3))
        .containsExactly("euid", "uid", "count");
  }

  @Property
  void distanceIsSymmetricAndBoundedByTheLongerLength(@ForAll final String a, @ForAll final String b) {
    final int d = Nearest.distance(a, b);
    assertThat(d).isEqualTo(Nearest.distance(b, a));
    assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
  }
}
