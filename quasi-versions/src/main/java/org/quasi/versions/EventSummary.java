package org.quasi.versions;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * A summary of Quasi's JFR events in a recording ({@code ./quasi events FILE.jfr}): how many specializations (by
 * outcome), invalidations and backoffs, per entry point and per guarded location, and the total time invalidations
 * spent replugging.
 *
 * @param specializeOutcomes specializations by "entry: outcome"
 * @param invalidations      invalidations by guarded location (the object's identity dropped: by owner and field)
 * @param backoffs           backoffs by entry
 * @param invalidationTime   the summed duration of the invalidation events
 * @since 0.1
 */
public record EventSummary(Map<String, Integer> specializeOutcomes, Map<String, Integer> invalidations,
    Map<String, Integer> backoffs, Duration invalidationTime) {

  /**
   * Reads the {@code org.quasi.*} events of a JFR recording.
   *
   * @throws IOException when the file cannot be read or is not a recording
   */
  public static EventSummary read(final Path recording) throws IOException {
    final List<RecordedEvent> events = RecordingFile.readAllEvents(recording);
    final Map<String, Integer> specialize = new TreeMap<>();
    final Map<String, Integer> invalidate = new TreeMap<>();
    final Map<String, Integer> backoff = new TreeMap<>();
    Duration time = Duration.ZERO;
    for (final RecordedEvent e : events) {
      switch (e.getEventType().getName()) {
        case "org.quasi.Specialize" -> specialize.merge(e.getString("entry") + ": " + e.getString("outcome"), 1,
            Integer::sum);
        case "org.quasi.Invalidate" -> {
          final String location = e.getString("location");
          final int dot = location == null ? -1 : location.indexOf('.');
          invalidate.merge(location == null ? "(discarded)" : location.startsWith("static ") ? location
              : location.substring(dot + 1), 1, Integer::sum);
          time = time.plus(e.getDuration());
        }
        case "org.quasi.Backoff" -> backoff.merge(e.getString("entry"), 1, Integer::sum);
        default -> {
          // not Quasi's
        }
      }
    }
    return new EventSummary(Map.copyOf(specialize), Map.copyOf(invalidate), Map.copyOf(backoff), time);
  }

  /** The summary as text, one section per event kind. */
  public String format() {
    final StringBuilder b = new StringBuilder();
    section(b, "specializations (entry: outcome)", specializeOutcomes);
    section(b, "invalidations (guarded location)", invalidations);
    b.append("  time spent invalidating and replugging: ").append(invalidationTime.toNanos() / 1000).append(" us\n");
    section(b, "backoffs (entry)", backoffs);
    return b.toString();
  }

  private static void section(final StringBuilder b, final String title, final Map<String, Integer> counts) {
    final int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    b.append(title).append(": ").append(total).append('\n');
    new TreeMap<>(counts).forEach((k, v) -> b.append("  ").append(v).append("  ").append(k).append('\n'));
  }
}
