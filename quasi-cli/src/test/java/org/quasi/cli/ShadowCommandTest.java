package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cli.QuasiCommandTest.quasi;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.shadowfixture.HaltingFixture;
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

  /**
   * The command's side of a divergence: an agent that reports one (a stand-in for the real agent, whose detection
   * {@code ShadowAgentTest} and {@code ShadowReportTest} cover) makes the command print it and exit 1.
   */
  @Test
  void aReportedDivergenceExitsWithOne(@TempDir final Path dir) throws Exception {
    final Path jar = fakeAgent(dir, "{\\\"diverged\\\": 1, \\\"crashed\\\": 0}");
    final QuasiCommandTest.Run run = quasi("shadow", "--agent", jar.toString(), "--", JAVA, "-version");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.err()).contains("DIVERGED fake.M.m()I", "program exit status 0");
  }

  /**
   * A program that ends without running its shutdown hooks (here {@code Runtime.halt}; a SIGKILL from the system's
   * out-of-memory killer is alike) keeps what shadow mode saw: the report written after its sampled invocations,
   * marked incomplete, and the program's own status.
   */
  @Test
  void aProgramThatHaltsKeepsTheReportWrittenWhileItRan(@TempDir final Path dir) throws Exception {
    final Path json = dir.resolve("shadow.json");
    final QuasiCommandTest.Run run = quasi("shadow", "--sample", "1/1", "--include", "HaltingFixture$",
        "--report", json.toString(), "--", JAVA, "-cp", testClasses(), HaltingFixture.class.getName());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(7);
    assertThat(run.err()).contains("the program exited with status 7 without running its shutdown hooks",
        "probed 1", "specialized 2, agreed 2, diverged 0, shadow crashes 0", "program exit status 7")
        .doesNotContain("internal error");
    assertThat(Files.readString(json)).startsWith("{\n  \"complete\": false,").contains("\"agreed\": 2");
    assertThat(dir.resolve("shadow.json.next")).doesNotExist();
  }

  /** A JVM in which the agent did not start leaves no report: the command says so, with no stack trace. */
  @Test
  void anAgentThatDidNotStartIsSaidPlainly(@TempDir final Path dir) throws Exception {
    final Path jar = fakeAgent(dir, null);
    final QuasiCommandTest.Run run = quasi("shadow", "--agent", jar.toString(), "--", JAVA, "-version");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_INTERNAL);
    assertThat(run.err()).isEqualTo("quasi shadow: the program exited with status 0 and shadow mode wrote no "
        + "report: the agent did not start (see the lines above)" + System.lineSeparator());
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

  @Test
  void aReportTheLauncherCannotReadIsInternal(@TempDir final Path dir) throws Exception {
    // More divergences than an int holds: the launcher's NumberFormatException, an IllegalArgumentException, is a
    // fault of the agent and launcher pair, never the user's mistake.
    final Path jar = fakeAgent(dir, "{\\\"diverged\\\": 99999999999, \\\"crashed\\\": 0}");
    final QuasiCommandTest.Run run = quasi("shadow", "--agent", jar.toString(), "--", JAVA, "-version");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_INTERNAL);
    assertThat(run.err()).contains("quasi shadow: internal error: java.lang.NumberFormatException: For input string: "
        + "\"99999999999\"");
  }

  @Test
  void aJavaLauncherThatIsNotThereIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("shadow", "--", "/no/such/jdk/bin/java", "-version");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).isEqualTo("quasi shadow: no java launcher at /no/such/jdk/bin/java"
        + System.lineSeparator());
  }

  @Test
  void anAgentJarWithoutPremainClassIsAUsageError(@TempDir final Path dir) throws Exception {
    final Path jar = dir.resolve("plain.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, new Manifest())) {
      j.putNextEntry(new JarEntry("empty.txt"));
      j.closeEntry();
    }
    final QuasiCommandTest.Run run = quasi("shadow", "--agent", jar.toString(), "--", JAVA, "-version");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains(jar + " is not an agent jar: its manifest names no Premain-Class");
  }

  @Test
  void aReportInADirectoryThatDoesNotExistIsAUsageError() {
    final QuasiCommandTest.Run run = quasi("shadow", "--report", "/no/such/dir/shadow.json", "--", JAVA, "-version");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("the report's directory /no/such/dir does not exist");
  }

  /**
   * An agent jar standing in for the real agent: it writes {@code report} (Java string-literal text) as the JSON
   * report and one DIVERGED line as the summary, and nothing else; with a null {@code report}, nothing at all.
   */
  private static Path fakeAgent(final Path dir, final String report) throws Exception {
    final Path src = Files.createDirectories(dir.resolve("src/fake"));
    Files.writeString(src.resolve("Agent.java"), report == null ? """
        package fake;
        public final class Agent {
          public static void premain(String args, java.lang.instrument.Instrumentation i) {
          }
        }
        """ : """
        package fake;
        import java.net.URLDecoder;
        import java.nio.charset.StandardCharsets;
        import java.nio.file.*;
        public final class Agent {
          public static void premain(String args, java.lang.instrument.Instrumentation i) throws Exception {
            for (String pair : args.substring("shadow:".length()).split("&")) {
              String[] kv = pair.split("=", 2);
              String value = URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
              if (kv[0].equals("report")) {
                Files.writeString(Path.of(value), "%s");
              } else if (kv[0].equals("summary")) {
                Files.writeString(Path.of(value), "DIVERGED fake.M.m()I\\n");
              }
            }
          }
        }
        """.formatted(report));
    final Path classes = Files.createDirectories(dir.resolve("classes"));
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        src.resolve("Agent.java").toString())).isZero();
    final Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(new Attributes.Name("Premain-Class"), "fake.Agent");
    final Path jar = dir.resolve("fake-agent.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
      j.putNextEntry(new JarEntry("fake/Agent.class"));
      j.write(Files.readAllBytes(classes.resolve("fake/Agent.class")));
      j.closeEntry();
    }
    return jar;
  }
}
