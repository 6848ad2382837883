package org.quasi.typeguard;

import java.util.Locale;
import org.quasi.typeguard.internal.JsonReport;
import org.quasi.typeguard.internal.SarifReport;
import org.quasi.typeguard.internal.TextReport;

/**
 * The output formats of a {@link TypeGuardReport}.
 *
 * @since 0.1
 */
public enum ReportFormat {
  /** Grouped by field, sorted, for a terminal. */
  TEXT,
  /** The stable JSON schema of {@code docs/typeguard-json.md}. */
  JSON,
  /** SARIF 2.1.0, as GitHub code scanning accepts it. */
  SARIF;

  /**
   * Writes a report.
   *
   * @param report the report
   * @param out where to write
   * @param sourcePrefix prepended to source paths derived from the package and SourceFile attribute (such as
   *     {@code src/main/java/}) so SARIF locations are relative to the repository root; empty for none
   */
  public void write(final TypeGuardReport report, final Appendable out, final String sourcePrefix) {
    switch (this) {
      case TEXT -> TextReport.write(report, out);
      case JSON -> JsonReport.write(report, out);
      case SARIF -> SarifReport.write(report, out, sourcePrefix);
      default -> throw new AssertionError(this);
    }
  }

  /**
   * Parses a format name, case-insensitively.
   *
   * @param name {@code text}, {@code json} or {@code sarif}
   * @return the format
   * @throws IllegalArgumentException naming the valid formats
   */
  public static ReportFormat parse(final String name) {
    try {
      return valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Unknown format '" + name + "'; expected text, json or sarif", e);
    }
  }
}
