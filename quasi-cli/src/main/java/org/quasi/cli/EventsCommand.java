package org.quasi.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.quasi.versions.EventSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi events FILE.jfr}: summarizes Quasi's JFR events (specialize, invalidate, backoff) in a recording
 * made with {@code -XX:StartFlightRecording}. Exit status: 0 summarized, 2 the file is missing or not a recording.
 */
@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Summarize Quasi's JFR events (org.quasi.Specialize, org.quasi.Invalidate, org.quasi.Backoff) in "
        + "a recording, e.g. one made with java -XX:StartFlightRecording:filename=rec.jfr,settings=profile ...",
        "Exit status: 0 summarized, 2 the file is missing or not a recording."})
final class EventsCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "A JFR recording.")
  private Path file;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("no such recording: " + file);
    }
    try {
      spec.commandLine().getOut().print(EventSummary.read(file).format());
    } catch (IOException e) {
      throw new UsageException("cannot read " + file + " as a JFR recording: " + e.getMessage());
    }
    return QuasiCommand.EXIT_OK;
  }
}
