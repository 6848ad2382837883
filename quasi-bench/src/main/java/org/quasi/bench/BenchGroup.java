package org.quasi.bench;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A named set of benchmarks that answers one issue's performance questions, run together by
 * {@code ./quasi bench NAME}.
 *
 * @param name what the user types
 * @param description one line for {@code --list}
 * @param includes JMH include patterns (regular expressions over {@code package.Class.method})
 * @param baseline the row every other row's ratio is computed against
 * @param targets the figures the issue asks for, checked after the run
 * @param extraTable formats a second table from the run's rows, printed after the group's (the signals group puts
 *     the paper's figures beside the measured ones); {@code null} for none
 * @param forkJvmArgs JVM options every forked benchmark JVM of the group gets (the signals group's agent, which
 *     weaves the kernel's classes for its quasi variant), computed when the group runs
 */
public record BenchGroup(String name, String description, List<String> includes, String baseline,
    List<BenchTarget> targets, Function<List<BenchRow>, String> extraTable, Supplier<List<String>> forkJvmArgs) {

  /** A group whose forks need no JVM option of their own. */
  public BenchGroup(final String name, final String description, final List<String> includes, final String baseline,
      final List<BenchTarget> targets, final Function<List<BenchRow>, String> extraTable) {
    this(name, description, includes, baseline, targets, extraTable, List::of);
  }

  /** A group with no extra table. */
  public BenchGroup(final String name, final String description, final List<String> includes, final String baseline,
      final List<BenchTarget> targets) {
    this(name, description, includes, baseline, targets, null);
  }

  /** Checks the components and freezes the lists. */
  public BenchGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(baseline, "baseline");
    Objects.requireNonNull(forkJvmArgs, "forkJvmArgs");
    includes = List.copyOf(includes);
    targets = List.copyOf(targets);
    if (includes.isEmpty()) {
      throw new IllegalArgumentException("group " + name + " includes no benchmark");
    }
  }

  /** The extra table for these rows, if the group has one. */
  public Optional<String> extraTable(final List<BenchRow> rows) {
    return extraTable == null ? Optional.empty() : Optional.of(extraTable.apply(rows));
  }
}
