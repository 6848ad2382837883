package org.quasi.typeguard;

import java.util.List;
import java.util.Objects;

/**
 * The findings for one quasi-invariant.
 *
 * @param field the field, by its declaring class
 * @param descriptor the field's type descriptor, such as {@code I} or {@code [J}
 * @param isStatic whether the field is static
 * @param declaredBy how the field was declared a quasi-invariant: {@code "command line"}, a spec file location
 *     {@code FILE:LINE}, or {@code "@QuasiInvariant"}
 * @param findings the findings, sorted by site
 * @since 0.1
 */
public record FieldReport(FieldId field, String descriptor, boolean isStatic, String declaredBy,
    List<Finding> findings) {

  /** Copies and sorts the findings. */
  public FieldReport {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(descriptor, "descriptor");
    Objects.requireNonNull(declaredBy, "declaredBy");
    findings = findings.stream().sorted().toList();
  }
}
