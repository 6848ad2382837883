package org.quasi.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class NearestNamesTest {

  @Test
  void distanceCountsEdits() {
    assertThat(NearestNames.distance("kitten", "sitting")).isEqualTo(3);
    assertThat(NearestNames.distance("", "abc")).isEqualTo(3);
    assertThat(NearestNames.distance("uid", "uid")).isZero();
  }

  @Test
  void namesAreNearestFirstThenAlphabetical() {
    assertThat(NearestNames.names("euod", List.of("count", "uid", "euid", "zzzz"), 3))
        .containsExactly("euid", "uid", "count");
  }

  @Property
  void distanceIsSymmetricAndBoundedByTheLongerLength(@ForAll final String a, @ForAll final String b) {
    final int d = NearestNames.distance(a, b);
    assertThat(d).isEqualTo(NearestNames.distance(b, a));
    assertThat(d).isBetween(Math.abs(a.length() - b.length()), Math.max(a.length(), b.length()));
  }
}
