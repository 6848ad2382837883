package org.quasi.memguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtectedObjectsTest {

  @Test
  void objectsAreFoundByIdentityAcrossGrowth() {
    final ProtectedObjects table = new ProtectedObjects();
    final List<String> kept = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      final String s = new String("same");
      kept.add(s);
      table.make(s).put("k" + i, 1);
    }
    for (int i = 0; i < kept.size(); i++) {
      assertThat(table.get(kept.get(i))).containsOnlyKeys("k" + i);
    }
    assertThat(table.get(new String("same"))).as("an equal but distinct object").isNull();
    assertThat(table.make(kept.get(7))).isSameAs(table.get(kept.get(7)));
  }
}
