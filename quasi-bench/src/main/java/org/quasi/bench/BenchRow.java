package org.quasi.bench;

import java.util.concurrent.TimeUnit;

/**
 * One line of a benchmark table: a benchmark (or one method of a {@code @Group}), its mode and score.
 *
 * @param name {@code Class.method}, or {@code Class.group:method} for a method of a group
 * @param mode JMH's short mode name: {@code avgt}, {@code sample}, {@code thrpt}, {@code ss}
 * @param score the mean score
 * @param error the half-width of the 99.9% confidence interval, {@code NaN} when JMH could not compute one
 * @param median the median, for sample mode; {@code NaN} otherwise
 * @param unit JMH's unit, e.g. {@code ns/op}
 */
public record BenchRow(String name, String mode, double score, double error, double median, String unit) {

  /** The score in nanoseconds per operation, or {@code NaN} for a unit that is not a time per operation. */
  public double nanos() {
    return toNanos(score);
  }

  /** The median in nanoseconds when there is one, else the score in nanoseconds. */
  public double typicalNanos() {
    return toNanos(Double.isNaN(median) ? score : median);
  }

  private double toNanos(final double value) {
    final TimeUnit timeUnit = switch (unit) {
      case "ns/op" -> TimeUnit.NANOSECONDS;
      case "us/op" -> TimeUnit.MICROSECONDS;
      case "ms/op" -> TimeUnit.MILLISECONDS;
      case "s/op" -> TimeUnit.SECONDS;
      default -> null;
    };
    return timeUnit == null ? Double.NaN : value * timeUnit.toNanos(1);
  }
}
