package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.QuasiCommandTest.Run;

/**
 * {@code ./quasi memguard --jdwp}: quasi-memguard's fixture program ({@code memguardfixture.ProtectAndWrite}, from
 * that module's test classes) run under the agent and the JDWP watch together. Every write to a protected location
 * is caught once, by the mechanism expected, at its line in {@code Writers.java}: the agent traps the bytecode,
 * reflective, handle, var handle, updater and Unsafe writes, the JDWP watch the JNI ones; writes to the unprotected
 * twin, after a release, through {@code MemGuard.write} and while MemGuard is disabled are not reported.
 */
class MemguardCommandJdwpTest {

  private static final Path MEMGUARD = Path.of("..", "quasi-memguard").toAbsolutePath().normalize();
  private static final Path FIXTURE_CLASSES = MEMGUARD.resolve("target/test-classes");
  private static final Path WRITERS = MEMGUARD.resolve("src/test/java/memguardfixture/Writers.java");

  /** What the agent reports, with or without JNI. */
  private static final List<String> AGENT_WRITES = List.of(
      "AGENT_TRAP putfield @plain", "AGENT_TRAP Field.setInt @reflection", "AGENT_TRAP MethodHandle setter @handle",
      "AGENT_TRAP VarHandle.set @varHandle", "AGENT_TRAP AtomicIntegerFieldUpdater.set @updater",
      "AGENT_TRAP Unsafe.putInt @unsafe", "AGENT_TRAP putstatic @plainStatic");

  @TempDir
  static Path dir;

  private static Path jniLibrary;
  private static String noJni;

  /** Builds the JNI library with the fixture's own builder (loaded from quasi-memguard's test classes). */
  @BeforeAll
  static void buildTheJniLibrary() throws Exception {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {FIXTURE_CLASSES.toUri().toURL()},
        MemguardCommandJdwpTest.class.getClassLoader())) {
      final Object built = loader.loadClass("memguardfixture.NativeLibraryBuilder").getMethod("build", Path.class)
          .invoke(null, dir);
      jniLibrary = (Path) built.getClass().getMethod("library").invoke(built);
      noJni = (String) built.getClass().getMethod("whyNot").invoke(built);
    }
    if (jniLibrary == null) {
      System.err.println("MemguardCommandJdwpTest: the JNI case is skipped: " + noJni);
    }
  }

  @Test
  void theAgentAndTheWatchTogetherCatchEveryWriteOnceJniIncluded() throws IOException {
    assumeTrue(jniLibrary != null, () -> "JNI case skipped: " + noJni);
    final Run run = memguardJdwp(jniLibrary.toString());

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    final List<String> expected = new ArrayList<>(AGENT_WRITES);
    expected.addAll(List.of("JDWP_WATCH JNI SetIntField @jni", "JDWP_WATCH JNI SetStaticIntField @jniStatic"));
    assertThat(reported(run.out())).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(run.out()).contains("value:  6 -> 7", "value:  8 -> 9", "MemGuard: 9 unguarded writes at 9 sites:");
  }

  @Test
  void withoutJniTheWatchAddsNothingTheAgentReportedAlready() throws IOException {
    final Run run = memguardJdwp("-");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(reported(run.out())).containsExactlyInAnyOrderElementsOf(AGENT_WRITES);
  }

  @Test
  void aCommandWithItsOwnJdwpAgentIsAUsageError() {
    final Run run = QuasiCommandTest.quasi("memguard", "--jdwp", "--", java(),
        "-agentlib:jdwp=transport=dt_socket,server=y,address=127.0.0.1:0", "-version");

    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("already loads a JDWP agent");
  }

  // -----------------------------------------------------------------------------------------------------------------

  private static Run memguardJdwp(final String jniArgument) {
    return QuasiCommandTest.quasi("memguard", "--jdwp", "--", java(), "-cp", FIXTURE_CLASSES.toString(),
        "memguardfixture.ProtectAndWrite", jniArgument, "0");
  }

  /** Each reported block as {@code "MECHANISM how @site"}, the site named by its {@code // site:} line. */
  private static List<String> reported(final String out) throws IOException {
    final Map<Integer, String> sites = new LinkedHashMap<>();
    final List<String> source = Files.readAllLines(WRITERS);
    for (int i = 0; i < source.size(); i++) {
      final int mark = source.get(i).indexOf("// site: ");
      if (mark >= 0) {
        sites.put(i + 1, source.get(i).substring(mark + "// site: ".length()).strip());
      }
    }
    final Matcher block = Pattern.compile(
        "unguarded write \\[(\\w+)] (.+)\\n(?:  .*\\n)*?    at memguardfixture\\.Writers\\.\\w+\\(Writers\\.java:(\\d+)\\)")
        .matcher(out);
    final List<String> found = new ArrayList<>();
    while (block.find()) {
      found.add(block.group(1) + " " + block.group(2) + " @"
          + sites.getOrDefault(Integer.parseInt(block.group(3)), "line " + block.group(3)));
    }
    assertThat(out).contains("MemGuard: " + found.size() + " unguarded write");
    return found;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
