package org.quasi.typeguard;

import java.util.Comparator;
import java.util.Objects;

/**
 * One place that writes, may write, opens a way to write, or (with reads on) reads a quasi-invariant.
 *
 * @param field the quasi-invariant, by its declaring class
 * @param kind what the site does; its {@link FindingKind#ruleId()} is stable
 * @param certainty whether the site surely concerns this field
 * @param site where it is
 * @param detail the instruction or API at the site, such as {@code putfield}, {@code Field.setInt} or
 *     {@code VarHandle.compareAndSet}
 * @param message a one-sentence explanation for a developer
 * @since 0.1
 */
public record Finding(FieldId field, FindingKind kind, Certainty certainty, Site site, String detail, String message)
    implements Comparable<Finding> {

  private static final Comparator<Finding> ORDER = Comparator.comparing(Finding::field)
      .thenComparing(Finding::site)
      .thenComparing(Finding::kind)
      .thenComparing(Finding::detail)
      .thenComparing(Finding::certainty);

  /** Checks that nothing is null. */
  public Finding {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(certainty, "certainty");
    Objects.requireNonNull(site, "site");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public int compareTo(final Finding other) {
    return ORDER.compare(this, other);
  }
}
