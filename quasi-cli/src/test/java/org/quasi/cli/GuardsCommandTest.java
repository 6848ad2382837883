package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.QuasiCommandTest.Run;

/** {@code ./quasi guards} as a user meets it, over two tiny class directories compiled for the test. */
class GuardsCommandTest {

  @TempDir
  static Path dir;

  /** Task alone: only its constructor writes uid, which is allowed. */
  static Path clean;

  /** Task and Other, which writes uid from outside. */
  static Path dirty;

  @BeforeAll
  static void compile() throws IOException {
    clean = compile("clean", List.of("""
        package demo;
        public class Task {
          int uid;
          public Task(int u) { this.uid = u; }
        }
        """));
    dirty = compile("dirty", List.of("""
        package demo;
        public class Task {
          int uid;
          public Task(int u) { this.uid = u; }
        }
        """, """
        package demo;
        class Other {
          void m(Task t) { t.uid = 1; }
        }
        """));
  }

  private static Path compile(final String name, final List<String> sources) throws IOException {
    final Path src = dir.resolve(name + "-src");
    final Path out = dir.resolve(name);
    Files.createDirectories(src.resolve("demo"));
    Files.createDirectories(out);
    final List<String> args = new java.util.ArrayList<>(List.of("-d", out.toString()));
    for (final String s : sources) {
      final String cls = s.substring(s.indexOf("class ") + 6, s.indexOf(" {"));
      final Path file = src.resolve("demo").resolve(cls + ".java");
      Files.writeString(file, s);
      args.add(file.toString());
    }
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
    return out;
  }

  @Test
  void onlyAllowedWritesExitZero() {
    final Run run = QuasiCommandTest.quasi("guards", "--class-path", clean.toString(), "--field", "demo.Task.uid");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).startsWith("TypeGuard: 1 quasi-invariant, 1 class analysed, 1 finding (0 not allowed)")
        .contains("  - TG101 write-constructor-this");
  }

  @Test
  void aWriteElsewhereExitsOne() {
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("  ! TG104 write-elsewhere", "demo.Other.m(Ldemo/Task;)V (Other.java:3)");
  }

  @Test
  void allowingTheKindMakesItPass() {
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--allow", "TG104");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_OK);
    final Run strict = QuasiCommandTest.quasi("guards", "-cp", clean.toString(), "--field", "demo.Task.uid",
        "--strict");
    assertThat(strict.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
  }

  @Test
  void jsonGoesToTheOutFile() throws IOException {
    final Path file = dir.resolve("report.json");
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--format", "json", "--out", file.toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).isEqualTo("quasi guards: 2 findings, 1 not allowed, 0 problems; report written to "
        + file + System.lineSeparator());
    assertThat(Files.readString(file)).contains("\"schema\": \"quasi-typeguard-report\"", "\"ruleId\": \"TG104\"");
  }

  @Test
  void sarifOnStdout() {
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--format", "sarif", "--source-prefix", "src/main/java/");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("\"version\": \"2.1.0\"", "\"uri\": \"src/main/java/demo/Other.java\"");
  }

  @Test
  void specFileDeclaresTheField() throws IOException {
    final Path spec = dir.resolve("ok.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant demo.Task.uid\n");
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--spec", spec.toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("declared by " + spec + ":2");
  }

  @Test
  void malformedSpecIsAUsageErrorWithFileAndLine() throws IOException {
    final Path spec = dir.resolve("bad.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant uid\n");
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--spec", spec.toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).isEqualTo("quasi guards: " + spec + ":2: expected OWNER.FIELD such as com.x.Task.uid, "
        + "found 'uid'" + System.lineSeparator());
  }

  @Test
  void unknownFieldSuggestsNamesAndExitsTwo() {
    final Run run = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--field", "demo.Task.ui");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.out()).contains("unknown-field: Class demo.Task has no field ui (command line); nearest: "
        + "demo.Task.uid; field skipped.");
    assertThat(run.err()).contains("the analysis is incomplete (1 problem); exit status 2");
  }

  @Test
  void missingClassPathEntryIsNamed() {
    final Path missing = dir.resolve("missing.jar");
    final Run run = QuasiCommandTest.quasi("guards", "-cp", missing + java.io.File.pathSeparator + dirty,
        "--field", "demo.Task.uid", "--format", "json");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("quasi guards: Class path entry " + missing + " does not exist; skipped.");
    assertThat(run.out()).contains("\"ruleId\": \"TG104\"");
  }

  @Test
  void usageErrors() {
    assertThat(QuasiCommandTest.quasi("guards", "--field", "demo.Task.uid").err())
        .contains("give a class path to analyse (--class-path CP) or --jdk");
    final Run noField = QuasiCommandTest.quasi("guards", "-cp", dirty.toString());
    assertThat(noField.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(noField.err()).contains("no quasi-invariant to check");
    final Run badFormat = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--format", "xml");
    assertThat(badFormat.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(badFormat.err()).contains("Unknown format 'xml'; expected text, json or sarif");
    final Run badField = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "uid");
    assertThat(badField.err()).contains("Expected Owner.field such as com.x.Task.uid, got 'uid'");
    final Run badKind = QuasiCommandTest.quasi("guards", "-cp", dirty.toString(), "--field", "demo.Task.uid",
        "--allow", "everything");
    assertThat(badKind.err()).contains("Unknown finding kind 'everything'");
    assertThat(QuasiCommandTest.quasi("guards", "--jdk-module", "java.base", "--field", "demo.Task.uid").err())
        .contains("--jdk-module java.base needs --jdk");
    final Run unknownOption = QuasiCommandTest.quasi("guards", "--frobnicate");
    assertThat(unknownOption.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(unknownOption.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void jdkModulesAreAnalysedThroughJrt() {
    final Run run = QuasiCommandTest.quasi("guards", "--jdk", "--jdk-module", "java.base",
        "--field", "java.lang.Integer.value", "--format", "json");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("\"classPathEntry\": \"jrt:/java.base\"", "\"ruleId\": \"TG101\"");
  }
}
