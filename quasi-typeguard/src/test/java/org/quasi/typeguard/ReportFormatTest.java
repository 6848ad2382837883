package org.quasi.typeguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The three output formats, over the fixture corpus; the SARIF output is validated against the 2.1.0 schema. */
class ReportFormatTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static String render(final ReportFormat format, final TypeGuardReport report, final String prefix) {
    final StringBuilder out = new StringBuilder();
    format.write(report, out, prefix);
    return out.toString();
  }

  /** A report with findings of every certainty, allowed and not, and a problem. */
  private static TypeGuardReport report() {
    return FixtureCorpus.builder().reads(true).field(FixtureCorpus.PKG + "Task.nosuch").build().analyze();
  }

  @Test
  void sarifValidatesAgainstTheSarif210Schema() throws Exception {
    final String sarif = render(ReportFormat.SARIF, report(), "quasi-typeguard/src/test/java/");
    final JsonSchema schema;
    try (InputStream in = getClass().getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
    }
    final Set<ValidationMessage> errors = schema.validate(MAPPER.readTree(sarif));
    assertThat(errors).isEmpty();
    // The validator does check: a wrong version and a result without a message are rejected.
    final String broken = sarif.replace("\"version\": \"2.1.0\"", "\"version\": \"2.0\"")
        .replaceFirst("\"message\": \\{", "\"mess\": {");
    assertThat(schema.validate(MAPPER.readTree(broken))).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void sarifHasStableRuleIdsRelativeLocationsAndFingerprints() throws Exception {
    final JsonNode run = MAPPER.readTree(render(ReportFormat.SARIF, report(), "src/test/java/")).get("runs").get(0);
    final List<String> ruleIds = new ArrayList<>();
    run.get("tool").get("driver").get("rules").forEach(r -> ruleIds.add(r.get("id").asText()));
    assertThat(ruleIds).contains("TG101", "TG104", "TG201", "TG301", "TG900").doesNotHaveDuplicates();
    final Set<String> fingerprints = new HashSet<>();
    boolean sawIntruder = false;
    for (final JsonNode result : run.get("results")) {
      final JsonNode location = result.get("locations").get(0).get("physicalLocation");
      final String uri = location.get("artifactLocation").get("uri").asText();
      assertThat(uri).doesNotStartWith("/").doesNotContain("target/");
      if (uri.equals("src/test/java/org/quasi/typeguard/fixtures/Intruder.java")) {
        sawIntruder = true;
        assertThat(location.get("artifactLocation").get("uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(location.get("region").get("startLine").asInt()).isPositive();
      }
      assertThat(ruleIds).contains(result.get("ruleId").asText());
      assertThat(fingerprints.add(result.get("partialFingerprints").get("typeguardSite/v1").asText())).isTrue();
    }
    assertThat(sawIntruder).isTrue();
    assertThat(run.get("invocations").get(0).get("executionSuccessful").asBoolean()).isFalse();
  }

  @Test
  void fingerprintsDoNotDependOnTheRun() {
    assertThat(render(ReportFormat.SARIF, report(), "")).isEqualTo(render(ReportFormat.SARIF, report(), ""));
  }

  @Test
  void jsonFollowsTheDocumentedSchema() throws Exception {
    final JsonNode json = MAPPER.readTree(render(ReportFormat.JSON, report(), ""));
    assertThat(json.get("schema").asText()).isEqualTo("quasi-typeguard-report");
    assertThat(json.get("version").asInt()).isEqualTo(1);
    assertThat(json.get("classPath").get(0).asText()).isEqualTo(Path.of("target", "test-classes").toString());
    assertThat(json.get("readsIncluded").asBoolean()).isTrue();
    assertThat(json.get("summary").get("problems").asInt()).isEqualTo(1);
    assertThat(json.get("problems").get(0).get("kind").asText()).isEqualTo("unknown-field");
    final JsonNode uid = json.get("fields").findValues("field").stream()
        .filter(n -> n.asText().endsWith("Task.uid")).findFirst().orElseThrow();
    assertThat(uid).isNotNull();
    final JsonNode first = json.get("fields").get(0).get("findings").get(0);
    for (final String member : List.of("ruleId", "kind", "certainty", "allowed", "detail", "message", "site")) {
      assertThat(first.has(member)).as(member).isTrue();
    }
    for (final String member : List.of("class", "method", "methodDescriptor", "sourceFile", "sourcePath", "line",
        "classPathEntry", "classFile", "instruction")) {
      assertThat(first.get("site").has(member)).as(member).isTrue();
    }
  }

  @Test
  void textIsGroupedByFieldAndMarksWhatIsNotAllowed() {
    final String text = render(ReportFormat.TEXT, report(), "");
    assertThat(text).startsWith("TypeGuard: 11 quasi-invariants, ");
    assertThat(text).contains("\norg.quasi.typeguard.fixtures.Task.uid  (I, instance; declared by @QuasiInvariant)\n");
    assertThat(text).contains("  ! TG104 write-elsewhere");
    assertThat(text).contains("  - TG101 write-constructor-this");
    assertThat(text).contains("Problems (the analysis skipped these and is incomplete):");
    assertThat(text.indexOf("Account.balance  (")).isLessThan(text.indexOf("Task.uid  ("));
  }

  @Test
  void unknownFormatNamesTheValidOnes() {
    assertThat(ReportFormat.parse("Sarif")).isEqualTo(ReportFormat.SARIF);
    assertThatThrownBy(() -> ReportFormat.parse("xml")).hasMessageContaining("expected text, json or sarif");
  }
}
