package org.quasi.typeguard.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Problem;
import org.quasi.typeguard.Site;
import org.quasi.typeguard.TypeGuardReport;

/**
 * SARIF 2.1.0 for GitHub code scanning. Every {@link FindingKind} is a rule whose id is its stable rule id. A result's
 * physical location is the source file relative to the source root ({@code %SRCROOT%}, with the caller's prefix such
 * as {@code src/main/java/}), or, for a class without a SourceFile attribute, the class file relative to its class
 * path entry ({@code CLASSPATH}). {@code partialFingerprints} hash the rule, field, class, method and detail (not the
 * line) so results stay matched across unrelated edits.
 */
public final class SarifReport {

  private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  private static final String FINGERPRINT = "typeguardSite/v1";
  private static final String VERSION = "0.1.0";

  private SarifReport() {
  }

  /**
   * Writes the report.
   *
   * @param report the report
   * @param out where to write
   * @param sourcePrefix prepended to source paths, such as {@code src/main/java/}; may be empty
   */
  public static void write(final TypeGuardReport report, final Appendable out, final String sourcePrefix) {
    final Json j = new Json(out);
    j.beginObject();
    j.member("$schema", SCHEMA);
    j.member("version", "2.1.0");
    j.name("runs").beginArray().beginObject();
    tool(j);
    j.name("originalUriBaseIds").beginObject();
    j.name("%SRCROOT%").beginObject().name("description").beginObject()
        .member("text", "The source root: the repository root, or where --source-prefix is relative to.")
        .endObject().endObject();
    j.name("CLASSPATH").beginObject().name("description").beginObject()
        .member("text", "The class path entry (directory or jar) the class file was read from.")
        .endObject().endObject();
    j.endObject();
    j.name("invocations").beginArray().beginObject();
    j.member("executionSuccessful", report.problems().isEmpty());
    j.name("toolExecutionNotifications").beginArray();
    for (final Problem p : report.problems()) {
      j.beginObject().member("level", "error").name("message").beginObject().member("text", p.message()).endObject()
          .name("descriptor").beginObject().member("id", p.kind().name()).endObject().endObject();
    }
    j.endArray();
    j.endObject().endArray();
    j.member("columnKind", "utf16CodeUnits");
    j.name("results").beginArray();
    final Map<String, Integer> seen = new HashMap<>();
    for (final Finding f : report.findings()) {
      result(j, report, f, sourcePrefix == null ? "" : sourcePrefix, seen);
    }
    j.endArray();
    j.endObject().endArray();
    j.endObject();
    j.finish();
  }

  private static void tool(final Json j) {
    j.name("tool").beginObject().name("driver").beginObject();
    j.member("name", "Quasi TypeGuard");
    j.member("semanticVersion", VERSION);
    j.name("rules").beginArray();
    for (final FindingKind k : FindingKind.values()) {
      j.beginObject();
      j.member("id", k.ruleId());
      j.member("name", camel(k.ruleName()));
      j.name("shortDescription").beginObject().member("text", k.description()).endObject();
      j.name("defaultConfiguration").beginObject()
          .member("level", FindingKind.DEFAULT_ALLOWED.contains(k) ? "note" : "error").endObject();
      j.endObject();
    }
    j.endArray();
    j.endObject().endObject();
  }

  private static void result(final Json j, final TypeGuardReport report, final Finding f, final String prefix,
      final Map<String, Integer> seen) {
    final Site s = f.site();
    final boolean allowed = report.isAllowed(f);
    j.beginObject();
    j.member("ruleId", f.kind().ruleId());
    j.member("ruleIndex", f.kind().ordinal());
    j.member("level", allowed ? "note" : f.certainty() == Certainty.DEFINITE ? "error" : "warning");
    j.name("message").beginObject().member("text", f.field() + ": " + f.message()
        + (allowed ? " (allowed)" : "")).endObject();
    j.name("locations").beginArray().beginObject();
    j.name("physicalLocation").beginObject();
    j.name("artifactLocation").beginObject();
    if (s.sourcePath() != null) {
      j.member("uri", prefix + s.sourcePath()).member("uriBaseId", "%SRCROOT%");
    } else {
      j.member("uri", s.classFile()).member("uriBaseId", "CLASSPATH");
    }
    j.endObject();
    if (s.line() > 0 && s.sourcePath() != null) {
      j.name("region").beginObject().member("startLine", s.line()).endObject();
    }
    j.endObject();
    j.name("logicalLocations").beginArray().beginObject()
        .member("fullyQualifiedName", s.member())
        .member("kind", s.methodName() == null ? "type" : "function")
        .endObject().endArray();
    j.endObject().endArray();
    final String key = String.join("|", f.kind().ruleId(), f.field().toString(), s.className(),
        String.valueOf(s.methodName()), String.valueOf(s.methodDesc()), f.detail());
    final int occurrence = seen.merge(key, 1, Integer::sum);
    j.name("partialFingerprints").beginObject().member(FINGERPRINT, sha256(key + "|" + occurrence)).endObject();
    j.name("properties").beginObject()
        .member("field", f.field().toString())
        .member("certainty", f.certainty().label())
        .member("allowed", allowed)
        .member("detail", f.detail())
        .member("classPathEntry", s.classPathEntry())
        .member("classFile", s.classFile())
        .endObject();
    j.endObject();
  }

  private static String camel(final String kebab) {
    final StringBuilder b = new StringBuilder();
    for (final String part : List.of(kebab.split("-"))) {
      b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return b.toString();
  }

  private static String sha256(final String text) {
    try {
      final byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}
