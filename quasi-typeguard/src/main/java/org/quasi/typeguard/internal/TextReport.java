package org.quasi.typeguard.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.quasi.typeguard.FieldReport;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.Problem;
import org.quasi.typeguard.Site;
import org.quasi.typeguard.TypeGuardReport;

/**
 * The terminal format: a summary line, then per quasi-invariant its findings sorted by site, then the problems.
 * Findings that count against the run are marked {@code !}, allowed ones {@code -}.
 */
public final class TextReport {

  private TextReport() {
  }

  /**
   * Writes the report.
   *
   * @param report the report
   * @param out where to write
   */
  public static void write(final TypeGuardReport report, final Appendable out) {
    final StringBuilder b = new StringBuilder();
    final int total = report.findings().size();
    final int beyond = report.findingsBeyondAllowed().size();
    b.append("TypeGuard: ").append(plural(report.fields().size(), "quasi-invariant")).append(", ")
        .append(plural(report.classesAnalysed(), "class")).append(" analysed, ")
        .append(plural(total, "finding")).append(" (").append(beyond).append(" not allowed)");
    if (!report.problems().isEmpty()) {
      b.append(", ").append(plural(report.problems().size(), "problem"));
    }
    b.append('\n');
    for (final FieldReport f : report.fields()) {
      b.append('\n').append(f.field()).append("  (").append(f.descriptor())
          .append(f.isStatic() ? ", static" : ", instance").append("; declared by ").append(f.declaredBy())
          .append(")\n");
      if (f.findings().isEmpty()) {
        b.append("  no findings\n");
      }
      for (final Finding x : f.findings()) {
        b.append("  ").append(report.isAllowed(x) ? '-' : '!').append(' ').append(x.kind().ruleId()).append(' ')
            .append(pad(x.kind().ruleName(), 38)).append(pad(x.certainty().label(), 9)).append(where(x.site()))
            .append("\n      ").append(x.message()).append('\n');
      }
    }
    if (!report.problems().isEmpty()) {
      b.append("\nProblems (the analysis skipped these and is incomplete):\n");
      for (final Problem p : report.problems()) {
        b.append("  ").append(p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-')).append(": ")
            .append(p.message()).append('\n');
      }
    }
    try {
      out.append(b);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the report: " + e.getMessage(), e);
    }
  }

  private static String where(final Site s) {
    final StringBuilder b = new StringBuilder(s.member());
    if (s.sourceFile() != null) {
      b.append(" (").append(s.sourceFile());
      if (s.line() > 0) {
        b.append(':').append(s.line());
      }
      b.append(')');
    }
    return b.toString();
  }

  private static String pad(final String s, final int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  private static String plural(final int n, final String noun) {
    if (n == 1) {
      return "1 " + noun;
    }
    return n + " " + (noun.endsWith("s") ? noun + "es" : noun + "s");
  }
}
