package org.quasi.typeguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input becomes a clear problem in the report, and the analysis goes on with the rest. */
class BadInputTest {

  private static Problem only(final TypeGuardReport report, final Problem.Kind kind) {
    return report.problems().stream().filter(p -> p.kind() == kind).findFirst().orElseThrow();
  }

  @Test
  void missingEntryIsReportedAndTheRestAnalysed(@TempDir final Path dir) {
    final Path missing = dir.resolve("nowhere.jar");
    final TypeGuardReport report = FixtureCorpus.builder()
        .classPath(List.of(missing, FixtureCorpus.TEST_CLASSES)).build().analyze();
    assertThat(only(report, Problem.Kind.MISSING_ENTRY).message())
        .isEqualTo("Class path entry " + missing + " does not exist; skipped.");
    assertThat(report.findings()).isNotEmpty();
  }

  @Test
  void corruptJarIsReported(@TempDir final Path dir) throws IOException {
    final Path jar = dir.resolve("broken.jar");
    Files.writeString(jar, "this is not a zip file");
    final TypeGuardReport report = FixtureCorpus.builder()
        .classPath(List.of(jar, FixtureCorpus.TEST_CLASSES)).build().analyze();
    assertThat(only(report, Problem.Kind.CORRUPT_JAR).message()).startsWith("Jar " + jar + " is corrupt (")
        .endsWith("); skipped.");
    assertThat(report.findings()).isNotEmpty();
  }

  @Test
  void unparsableClassInAJarIsSkippedAndNamed(@TempDir final Path dir) throws IOException {
    final Path jar = dir.resolve("mixed.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("com/x/Broken.class"));
      out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61, 0, 99});
      out.closeEntry();
      final Path task = FixtureCorpus.TEST_CLASSES.resolve("org/quasi/typeguard/fixtures/Intruder.class");
      out.putNextEntry(new JarEntry("org/quasi/typeguard/fixtures/Intruder.class"));
      out.write(Files.readAllBytes(task));
      out.closeEntry();
    }
    final TypeGuardReport report = FixtureCorpus.builder()
        .classPath(List.of(jar, FixtureCorpus.TEST_CLASSES)).build().analyze();
    final Problem p = only(report, Problem.Kind.UNPARSABLE_CLASS);
    assertThat(p.subject()).isEqualTo(jar + "!com/x/Broken.class");
    assertThat(p.message()).startsWith("Class file com/x/Broken.class in " + jar + " cannot be parsed (");
    // The jar's copy of Intruder is analysed, and found at its place in the jar.
    assertThat(report.findings()).anyMatch(f -> f.site().classPathEntry().equals(jar.toString())
        && f.kind() == FindingKind.WRITE_ELSEWHERE);
  }

  @Test
  void unknownFieldSuggestsTheNearestNames() {
    final TypeGuardReport report = FixtureCorpus.builder().field(FixtureCorpus.PKG + "Task.euod").build().analyze();
    assertThat(only(report, Problem.Kind.UNKNOWN_FIELD).message()).isEqualTo(
        "Class org.quasi.typeguard.fixtures.Task has no field euod (command line); nearest: "
            + "org.quasi.typeguard.fixtures.Task.euid, org.quasi.typeguard.fixtures.Task.uid, "
            + "org.quasi.typeguard.fixtures.Task.count; field skipped.");
    assertThat(report.fields()).hasSize(FixtureCorpus.FIELDS.size() + 1);
  }

  @Test
  void unknownClassSuggestsTheNearestNames() {
    final TypeGuardReport report = FixtureCorpus.builder().field(FixtureCorpus.PKG + "Tusk.uid").build().analyze();
    assertThat(only(report, Problem.Kind.UNKNOWN_CLASS).message()).startsWith(
        "Class org.quasi.typeguard.fixtures.Tusk of quasi-invariant org.quasi.typeguard.fixtures.Tusk.uid "
            + "(command line) is not on the class path; nearest: org.quasi.typeguard.fixtures.Task,");
  }

  @Test
  void noFieldsAtAllIsAnEmptyReportNotACrash(@TempDir final Path dir) {
    final TypeGuardReport report = TypeGuard.builder().classPath(List.of(dir)).annotations(false).build().analyze();
    assertThat(report.fields()).isEmpty();
    assertThat(report.findings()).isEmpty();
    assertThat(report.classesAnalysed()).isZero();
  }
}
