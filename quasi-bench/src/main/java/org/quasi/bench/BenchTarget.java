package org.quasi.bench;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A performance target an issue sets for a group, checked on the rows of one run: "the simple replugger costs at most
 * 1.05 times a direct call", "a replug takes at most 1 ms at the median".
 *
 * @param description the target in words, as printed
 * @param row the measured row
 * @param reference the row it is compared with; {@code null} for {@link Kind#VALUE_AT_MOST}
 * @param kind how the two are compared
 * @param limit the bound, a ratio or nanoseconds
 */
public record BenchTarget(String description, String row, String reference, Kind kind, double limit) {

  /** How a target compares its rows. */
  public enum Kind {
    /** {@code row / reference <= limit}, both in the same unit. */
    RATIO_AT_MOST,
    /** {@code row - reference <= limit} nanoseconds. */
    DIFFERENCE_AT_MOST_NS,
    /** The row's median (sample mode) or score is at most {@code limit} nanoseconds. */
    VALUE_AT_MOST_NS,
  }

  /** Checks the components. */
  public BenchTarget {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.VALUE_AT_MOST_NS) {
      Objects.requireNonNull(reference, "reference");
    }
  }

  /**
   * The measured value this target compares with its limit, or empty when a row it needs is missing from the run.
   *
   * @param rows the run's rows by name
   */
  public Optional<Double> measure(final Map<String, BenchRow> rows) {
    final BenchRow measured = rows.get(row);
    final BenchRow base = reference == null ? null : rows.get(reference);
    if (measured == null || (reference != null && base == null)) {
      return Optional.empty();
    }
    return Optional.of(switch (kind) {
      case RATIO_AT_MOST -> measured.nanos() / base.nanos();
      case DIFFERENCE_AT_MOST_NS -> measured.nanos() - base.nanos();
      case VALUE_AT_MOST_NS -> measured.typicalNanos();
    });
  }
}
