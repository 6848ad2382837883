package org.quasi.typeguard;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The result of a {@link TypeGuard} run: the findings per quasi-invariant and what could not be analysed.
 *
 * @param fields one report per quasi-invariant, sorted by field
 * @param problems what was skipped, sorted; a report with problems is incomplete
 * @param allowed the finding kinds that do not count against the run (see {@link FindingKind#DEFAULT_ALLOWED})
 * @param classPath the class path entries analysed, as given ({@code jrt:/MODULE} for JDK modules)
 * @param classesAnalysed how many class files were scanned
 * @param readsIncluded whether read sites were collected
 * @since 0.1
 */
public record TypeGuardReport(List<FieldReport> fields, List<Problem> problems, Set<FindingKind> allowed,
    List<String> classPath, int classesAnalysed, boolean readsIncluded) {

  /** Copies and sorts. */
  public TypeGuardReport {
    fields = fields.stream().sorted((a, b) -> a.field().compareTo(b.field())).toList();
    problems = problems.stream().sorted().toList();
    allowed = Set.copyOf(Objects.requireNonNull(allowed, "allowed"));
    classPath = List.copyOf(classPath);
  }

  /** {@return all findings, sorted} */
  public List<Finding> findings() {
    final List<Finding> all = new ArrayList<>();
    fields.forEach(f -> all.addAll(f.findings()));
    return all;
  }

  /**
   * {@return whether a finding counts against the run}
   *
   * @param finding a finding of this report
   */
  public boolean isAllowed(final Finding finding) {
    return allowed.contains(finding.kind());
  }

  /** {@return the findings that are not allowed, sorted} */
  public List<Finding> findingsBeyondAllowed() {
    return findings().stream().filter(f -> !isAllowed(f)).toList();
  }
}
