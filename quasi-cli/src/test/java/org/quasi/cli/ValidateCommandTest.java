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
  void badRegexIsAUsageError() throws Exception {
    final QuasiCommandTest.Run run = quasi("validate", "--class-path", classPath(), "--include", "(");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--include is not a regular expression");
  }
}
