package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cli.QuasiCommandTest.quasi;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.shadowfixture.ShadowFixture;

/**
 * {@code ./quasi shadow} through {@link QuasiCommand#execute}: the fixture program runs in a child JVM with the agent
 * the reactor built in quasi-agent/target (this module is built after it), a few seconds at most. The full test suite
 * of a real library is a documented command (docs/validate.md), not a unit test.
 */
class ShadowCommandTest {
  private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private static String testClasses() throws Exception {
    return Path.of(ShadowFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void theProgramComputesTheSameAndEveryShadowedInvocationAgrees(@TempDir final Path dir) throws Exception {
    final Path expected = dir.resolve("expected.txt");
    ShadowFixture.main(new String[] {"300", expected.toString()});
    final Path actual = dir.resolve("actual.txt");
    final Path json = dir.resolve("shadow.json");
    final QuasiCommandTest.Run run = quasi("shadow", "--sample", "1/4", "--seed", "3", "--report", json.toString(),
        "--measure-slowdown", "--", JAVA, "-cp", testClasses(), ShadowFixture.class.getName(), "300",
        actual.toString());
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(Files.readString(actual)).isEqualTo(Files.readString(expected));
    assertThat(run.err()).contains("probed 6", "diverged 0, shadow crashes 0", "program exit status 0",
        "wall time without shadow");
    final String report = Files.readString(json);
    assertThat(report).contains("\"methodsSeen\": 9", "\"methodsShadowed\": 6", "\"diverged\": 0",
        "\"crashed\": 0");
    assertThat(report).containsPattern("\"specialized\": [1-9]");
  }

  @Test
  void aCommandOtherThanJavaIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("shadow", "--", "python3", "x.py");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("must be java", "'python3'");
  }

  @Test
  void aBadRateIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("shadow", "--sample", "1/0", "--", JAVA, "-version");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("1/0");
  }

  @Test
  void aMissingAgentJarIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("shadow", "--agent", "/no/agent.jar", "--", JAVA, "-version");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("no agent jar at /no/agent.jar");
  }
}
