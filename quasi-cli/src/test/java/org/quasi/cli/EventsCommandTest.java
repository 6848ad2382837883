package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.QuasiCommandTest.Run;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;

/** {@code ./quasi events}: a recording with one invalidation, and bad input. */
class EventsCommandTest {

  /** What a guarded location of this test is: a holder whose field "port" versions rely on. */
  static final class Holder {
    int port = 80;
  }

  @Test
  void summarizesAnInvalidation(@TempDir final Path dir) throws Exception {
    final Holder h = new Holder();
    final IntSupplier generic = () -> h.port;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, () -> 80, generic, "port 80");
    final Path file = dir.resolve("rec.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("org.quasi.Invalidate").withoutThreshold();
      recording.start();
      v.invalidate(new GuardedLocation(h, Holder.class, "port"));
      recording.stop();
      recording.dump(file);
    }
    final Run run = QuasiCommandTest.quasi("events", file.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("specializations (entry: outcome): 0", "invalidations (guarded location): 1",
        "  1  org.quasi.cli.EventsCommandTest$Holder.port", "backoffs (entry): 0");
  }

  @Test
  void aFileThatIsNotARecordingExitsTwo(@TempDir final Path dir) throws Exception {
    final Path file = Files.writeString(dir.resolve("x.jfr"), "not a recording");
    assertThat(QuasiCommandTest.quasi("events", file.toString()).exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    final Run missing = QuasiCommandTest.quasi("events", dir.resolve("none.jfr").toString());
    assertThat(missing.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(missing.err()).contains("no such recording");
  }
}
