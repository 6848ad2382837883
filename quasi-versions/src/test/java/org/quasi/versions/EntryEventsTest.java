package org.quasi.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An entry point's choices as JFR events: specialize, invalidate, backoff. */
class EntryEventsTest {

  @Test
  void specializeInvalidateAndBackoffAreRecorded(@TempDir final Path dir) throws Exception {
    final EntryPoint<Rules.Filter> entry = EntryPoint.builder(MethodHandles.lookup(),
            Rules.class.getMethod("accept", Rule.class, int.class), Rules.Filter.class)
        .keys(0).quasiInvariant(Rule.class, "port")
        .policy(EntryPolicy.DEFAULT.withSpecializeAfter(1).withBackoffAfter(1)).build();
    final Rule rule = new Rule(80);
    final Path file = dir.resolve("entry.jfr");
    try (Recording recording = new Recording()) {
      for (final String name : List.of("org.quasi.Specialize", "org.quasi.Invalidate", "org.quasi.Backoff")) {
        recording.enable(name).withoutThreshold();
      }
      recording.start();
      entry.function().accept(rule, 80);
      rule.setPort(81);
      recording.stop();
      recording.dump(file);
    }
    final List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().startsWith("org.quasi.")).toList();
    assertThat(events).extracting(e -> e.getEventType().getName())
        .containsExactlyInAnyOrder("org.quasi.Specialize", "org.quasi.Backoff", "org.quasi.Invalidate");
    assertThat(named(events, "org.quasi.Specialize").getString("outcome")).isEqualTo("plugged");
    assertThat(named(events, "org.quasi.Backoff").getInt("invalidations")).isEqualTo(1);
    assertThat(named(events, "org.quasi.Invalidate").getBoolean("replugged")).isTrue();
    assertThat(named(events, "org.quasi.Invalidate").getString("version")).startsWith("accept for [");
  }

  private static RecordedEvent named(final List<RecordedEvent> events, final String name) {
    return events.stream().filter(e -> e.getEventType().getName().equals(name)).findFirst().orElseThrow();
  }
}
