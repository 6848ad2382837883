package org.quasi.typeguard.internal;

import java.util.Locale;
import org.quasi.typeguard.FieldReport;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Problem;
import org.quasi.typeguard.Site;
import org.quasi.typeguard.TypeGuardReport;

/** The JSON format, version 1; its schema is documented in {@code docs/typeguard-json.md} and only grows. */
public final class JsonReport {

  /** The schema version written in every document. */
  public static final int SCHEMA_VERSION = 1;

  private JsonReport() {
  }

  /**
   * Writes the report.
   *
   * @param report the report
   * @param out where to write
   */
  public static void write(final TypeGuardReport report, final Appendable out) {
    final Json j = new Json(out);
    j.beginObject();
    j.member("schema", "quasi-typeguard-report");
    j.member("version", SCHEMA_VERSION);
    j.name("classPath").beginArray();
    report.classPath().forEach(j::element);
    j.endArray();
    j.member("classesAnalysed", report.classesAnalysed());
    j.member("readsIncluded", report.readsIncluded());
    j.name("allowed").beginArray();
    report.allowed().stream().sorted().map(FindingKind::ruleName).forEach(j::element);
    j.endArray();
    j.name("summary").beginObject()
        .member("quasiInvariants", report.fields().size())
        .member("findings", report.findings().size())
        .member("notAllowed", report.findingsBeyondAllowed().size())
        .member("problems", report.problems().size())
        .endObject();
    j.name("fields").beginArray();
    for (final FieldReport f : report.fields()) {
      j.beginObject();
      j.member("field", f.field().toString());
      j.member("owner", f.field().owner());
      j.member("name", f.field().name());
      j.member("descriptor", f.descriptor());
      j.member("static", f.isStatic());
      j.member("declaredBy", f.declaredBy());
      j.name("findings").beginArray();
      for (final Finding x : f.findings()) {
        finding(j, report, x);
      }
      j.endArray();
      j.endObject();
    }
    j.endArray();
    j.name("problems").beginArray();
    for (final Problem p : report.problems()) {
      j.beginObject()
          .member("kind", p.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .member("subject", p.subject())
          .member("message", p.message())
          .endObject();
    }
    j.endArray();
    j.endObject();
    j.finish();
  }

  private static void finding(final Json j, final TypeGuardReport report, final Finding x) {
    final Site s = x.site();
    j.beginObject();
    j.member("ruleId", x.kind().ruleId());
    j.member("kind", x.kind().ruleName());
    j.member("certainty", x.certainty().label());
    j.member("allowed", report.isAllowed(x));
    j.member("detail", x.detail());
    j.member("message", x.message());
    j.name("site").beginObject();
    j.member("class", s.className());
    j.member("method", s.methodName());
    j.member("methodDescriptor", s.methodDesc());
    j.member("sourceFile", s.sourceFile());
    j.member("sourcePath", s.sourcePath());
    if (s.line() > 0) {
      j.member("line", s.line());
    } else {
      j.name("line").nullValue();
    }
    j.member("classPathEntry", s.classPathEntry());
    j.member("classFile", s.classFile());
    if (s.insnIndex() >= 0) {
      j.member("instruction", s.insnIndex());
    } else {
      j.name("instruction").nullValue();
    }
    j.endObject();
    j.endObject();
  }
}
