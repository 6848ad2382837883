package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cli.QuasiCommandTest.quasi;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./quasi validate} through {@link QuasiCommand#execute}. */
class ValidateCommandTest {

  private static String classPath() throws URISyntaxException {
    return Path.of(SpecializeSample.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void validatesAndWritesJson(@TempDir final Path dir) throws Exception {
    final Path json = dir.resolve("report.json");
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", classPath(), "--include",
        "SpecializeSample$", "--trials", "4", "--seed", "7", "--json", json.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("methods tried", "crashes 0", "diverged 0");
    assertThat(Files.readString(json)).contains("\"seed\": 7", "\"trialsPerMethod\": 4", "\"divergences\": []");
  }

  /**
   * Library code runs in the command's own JVM, and may leave shutdown hooks: agrona 2.6.0's ShutdownSignalBarrier
   * printed a warning into the report every 10 seconds after it, and kept the command from ever exiting. The command
   * ends its JVM without running them.
   */
  @Test
  void aLibrarysShutdownHookNeitherRunsNorHoldsTheCommand() throws Exception {
    final String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final String testPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final Process child = new ProcessBuilder(launcher, "-cp", testPath, QuasiCommand.class.getName(), "validate",
        "--class-path", classPath(), "--include", "\\.hooked\\.Hooked$", "--trials", "2").redirectErrorStream(true)
        .start();
    final String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(child.exitValue()).as(out).isZero();
    assertThat(out).contains("methods tried 1,").doesNotContain("HOOKED");
  }

  @Test
  void jdkModuleEntryWorksWithThePathSeparator() {
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", "jrt:/java.base", "--include",
        "^java\\.lang\\.Integer$", "--trials", "2");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("classes 1 ", "crashes 0");
  }

  @Test
  void missingEntryIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", "/no/such.jar");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("/no/such.jar does not exist");
  }

  @Test
  void aRunThatEndsEarlyWritesItsPartialReportAndExitsWithFindings(@TempDir final Path dir) throws Exception {
    // No heap is this empty after a collection: the run ends before its first class.
    final Path json = dir.resolve("report.json");
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", classPath(), "--include",
        "SpecializeSample$", "--trials", "2", "--heap-budget", "1e-9", "--json", json.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).startsWith("INCOMPLETE: the run ended after 0 of 1 classes: the heap stayed");
    assertThat(run.err()).contains("quasi validate: incomplete: the run ended after 0 of 1 classes");
    assertThat(Files.readString(json)).contains("\"endedEarly\": \"the run ended after 0 of 1 classes");
  }

  @Test
  void badOptionValuesAreUsageErrors() throws Exception {
    final QuasiCommandTest.Run trials = quasi("validate", "--class-path", classPath(), "--trials", "0");
    assertThat(trials.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(trials.err()).contains("trials must be at least 1, got 0");
    final QuasiCommandTest.Run budget = quasi("validate", "--class-path", classPath(), "--heap-budget", "2");
    assertThat(budget.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(budget.err()).contains("the heap budget must be a share in (0, 1], got 2.0");
  }

  @Test
  void badRegexIsAUsageError() throws Exception {
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", classPath(), "--include", "(");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--include is not a regular expression");
  }
}
