package org.quasi.bench;

import java.util.List;
import java.util.Objects;

/**
 * A named set of benchmarks that answers one issue's performance questions, run together by
 * {@code ./quasi bench NAME}.
 *
 * @param name what the user types
 * @param description one line for {@code --list}
 * @param includes JMH include patterns (regular expressions over {@code package.Class.method})
 * @param baseline the row every other row's ratio is computed against
 * @param targets the figures the issue asks for, checked after the run
 */
public record BenchGroup(String name, String description, List<String> includes, String baseline,
    List<BenchTarget> targets) {

  /** Checks the components and freezes the lists. */
  public BenchGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(baseline, "baseline");
    includes = List.copyOf(includes);
    targets = List.copyOf(targets);
    if (includes.isEmpty()) {
      throw new IllegalArgumentException("group " + name + " includes no benchmark");
    }
  }
}
