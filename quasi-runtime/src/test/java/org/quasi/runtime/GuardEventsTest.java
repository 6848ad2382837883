package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A guarded write that invalidates a plugged version is recorded as a JFR event. */
class GuardEventsTest {

  @Test
  void anInvalidationIsRecorded(@TempDir final Path dir) throws Exception {
    final WovenByHand rule = new WovenByHand(80);
    final IntSupplier generic = () -> rule.port;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, () -> 80, generic, "port 80");
    v.dependOn(rule, WovenByHand.class, "port");
    assertThat(v.plug(() -> rule.port == 80)).isTrue();
    final Path file = dir.resolve("guards.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("org.quasi.Invalidate").withoutThreshold();
      recording.start();
      rule.setPort(81);
      recording.stop();
      recording.dump(file);
    }
    final List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
        .filter(e -> e.getEventType().getName().equals("org.quasi.Invalidate")).toList();
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getString("version")).isEqualTo("port 80");
    assertThat(events.get(0).getString("location")).endsWith("org.quasi.runtime.WovenByHand.port");
    assertThat(events.get(0).getBoolean("replugged")).isTrue();
  }
}
