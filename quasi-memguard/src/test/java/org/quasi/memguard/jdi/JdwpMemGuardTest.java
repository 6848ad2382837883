package org.quasi.memguard.jdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import memguardfixture.Config;
import memguardfixture.NativeLibraryBuilder;
import memguardfixture.ProtectAndWrite;
import memguardfixture.Writers;
import memguardfixture.WovenWrites;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.memguard.Mechanism;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecParser;

/**
 * Runs {@link ProtectAndWrite} under {@link JdwpMemGuard} (no agent: the JDWP mechanism alone) and checks which of
 * its writes are logged, with which kind and line: bytecode stores and JNI's {@code Set<Type>Field} to protected
 * locations are; writes through reflection, method handles, var handles, updaters and {@code Unsafe} are not (the
 * measured facts {@link JdwpMemGuard}'s javadoc states), nor writes to an unprotected object, after a release,
 * through {@code MemGuard.write}, or while MemGuard is disabled.
 */
class JdwpMemGuardTest {

  private static final Path WRITERS = Path.of("src/test/java/memguardfixture/Writers.java");
  private static final String CONFIG = Config.class.getName();

  @TempDir
  static Path dir;

  /** The JNI library, or null with the reason in {@link #noJni}. */
  private static Path jniLibrary;
  private static String noJni = "";

  @BeforeAll
  static void buildTheJniLibrary() throws Exception {
    final NativeLibraryBuilder.Built built = NativeLibraryBuilder.build(dir);
    jniLibrary = built.library();
    noJni = built.whyNot();
    if (!built.available()) {
      System.err.println("JdwpMemGuardTest: the JNI case is skipped: " + noJni);
    }
  }

  /** {@link Writers}' lines marked {@code // site: NAME}, by name. */
  private static Map<String, Integer> sites() throws IOException {
    final Map<String, Integer> lines = new LinkedHashMap<>();
    final List<String> source = Files.readAllLines(WRITERS);
    for (int i = 0; i < source.size(); i++) {
      final int mark = source.get(i).indexOf("// site: ");
      if (mark >= 0) {
        lines.put(source.get(i).substring(mark + "// site: ".length()).strip(), i + 1);
      }
    }
    return lines;
  }

  private static List<String> java(final String... arguments) {
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(arguments));
    return command;
  }

  private static QuasiSpec spec(final String fields) throws Exception {
    return SpecParser.parse("test.spec", "quasi-spec 1\nquasi-invariant " + fields + "\n");
  }

  /** Each write as {@code "how field old->new @site"}, the site named by the {@link Writers} line it came from. */
  private static List<String> writes(final MemGuardLog log) throws IOException {
    final Map<Integer, String> byLine = new LinkedHashMap<>();
    sites().forEach((name, line) -> byLine.put(line, name));
    final List<String> seen = new ArrayList<>();
    for (final UnguardedWrite w : log.writes()) {
      assertThat(w.mechanism()).isEqualTo(Mechanism.JDWP_WATCH);
      final StackTraceElement writer = w.stack().stream().filter(f -> !f.isNativeMethod()).findFirst().orElseThrow();
      final String site = writer.getClassName().equals(Writers.class.getName())
          ? byLine.getOrDefault(writer.getLineNumber(), "line " + writer.getLineNumber())
          : writer.getClassName() + "." + writer.getMethodName();
      seen.add(w.how() + " " + w.field() + " " + w.oldValue() + "->" + w.newValue() + " @" + site);
    }
    return seen;
  }

  @Test
  void bytecodeStoresToProtectedLocationsAreCaughtAndUnsafeBasedWritesAreNot() throws Exception {
    final MemGuardLog log = new MemGuardLog();
    final List<String> problems = new ArrayList<>();
    final int status = JdwpMemGuard.command(java(ProtectAndWrite.class.getName(), "-", "7"))
        .problems(problems::add)
        .run(log);

    assertThat(status).as("the program's exit status passes through").isEqualTo(7);
    assertThat(problems).isEmpty();
    assertThat(writes(log)).containsExactly(
        "putfield limit 10->1 @plain",
        "putstatic defaultLimit 10->8 @plainStatic");
    final UnguardedWrite first = log.writes().get(0);
    assertThat(first.owner()).isEqualTo(CONFIG);
    assertThat(first.thread()).isEqualTo("main");
    assertThat(first.object()).matches(Pattern.quote(CONFIG) + "@[0-9a-f]+");
    assertThat(first.stack().get(0)).hasToString(Writers.class.getName() + ".plain(Writers.java:"
        + sites().get("plain") + ")");
    assertThat(first.stack().get(1).getClassName()).isEqualTo(ProtectAndWrite.class.getName());
    assertThat(first.site()).isEqualTo(Writers.class.getName() + ".plain(Writers.java:" + sites().get("plain") + ")");
    assertThat(log.writes().get(1).object()).isEqualTo("static");
  }

  @Test
  void jniSetFieldIsCaughtInTheNativeMethodThatCalledIt() throws Exception {
    assumeTrue(jniLibrary != null, () -> "JNI case skipped: " + noJni);
    final MemGuardLog log = new MemGuardLog();
    final int status = JdwpMemGuard.command(java(ProtectAndWrite.class.getName(), jniLibrary.toString(), "0"))
        .run(log);

    assertThat(status).isZero();
    assertThat(writes(log)).containsExactly(
        "putfield limit 10->1 @plain",
        "JNI SetIntField limit 6->7 @jni",
        "putstatic defaultLimit 10->8 @plainStatic",
        "JNI SetStaticIntField defaultLimit 8->9 @jniStatic");
    final UnguardedWrite jni = log.writes().get(1);
    assertThat(jni.stack().get(0).getClassName()).isEqualTo("memguardfixture.NativeWrites");
    assertThat(jni.stack().get(0).isNativeMethod()).isTrue();
    assertThat(jni.object()).isEqualTo(log.writes().get(0).object());
  }

  @Test
  void guardedWritesOfWovenCodeAreNotReportedOnEitherPath() throws Exception {
    final MemGuardLog log = new MemGuardLog();
    final String library = jniLibrary == null ? "-" : jniLibrary.toString();
    JdwpMemGuard.command(java(WovenWrites.class.getName(), library)).run(log);

    final List<String> expected = new ArrayList<>(List.of("putfield limit 10->9 @plain",
        "putfield x 3->4 @" + WovenWrites.class.getName() + ".main"));
    if (jniLibrary != null) {
      expected.add("JNI SetIntField limit 1->5 @" + WovenWrites.class.getName() + ".main");
    }
    assertThat(writes(log)).containsExactlyElementsOf(expected);
  }

  @Test
  void aSpecProtectsTheFieldOnEveryObject() throws Exception {
    final MemGuardLog log = new MemGuardLog();
    JdwpMemGuard.command(java(ProtectAndWrite.class.getName(), "-", "0"))
        .spec(spec(CONFIG + ".limit"))
        .run(log);

    // The field initializers of both configs (a constructor building its own object) are not reported.
    assertThat(writes(log)).containsExactly(
        "putfield limit 10->1 @plain",
        "putstatic defaultLimit 10->8 @plainStatic",
        "putfield limit 10->100 @plain",
        "putfield limit 11->12 @plain");
  }

  @Test
  void aSpecFieldThatDoesNotExistIsNamedWithTheNearestNames() throws Exception {
    final List<String> problems = new ArrayList<>();
    JdwpMemGuard.command(java(ProtectAndWrite.class.getName(), "-", "0"))
        .spec(spec(CONFIG + ".limitt"))
        .problems(problems::add)
        .run(new MemGuardLog());

    assertThat(problems).singleElement().asString()
        .startsWith("test.spec:2: class " + CONFIG + " has no field 'limitt'")
        .contains("nearest: limit");
  }

  @Test
  void aSpecClassTheProgramNeverLoadsIsReported() throws Exception {
    final List<String> problems = new ArrayList<>();
    JdwpMemGuard.command(java(ProtectAndWrite.class.getName(), "-", "0"))
        .spec(spec("memguardfixture.Confg.limit"))
        .problems(problems::add)
        .run(new MemGuardLog());

    assertThat(problems).singleElement().asString()
        .startsWith("test.spec:2: class memguardfixture.Confg was never loaded")
        .contains("nearest: " + CONFIG);
  }

  @Test
  void aJvmThatExitsBeforeConnectingIsReportedAtOnceWithItsStatus() {
    final long start = System.nanoTime();
    assertThatThrownBy(() -> JdwpMemGuard.command(java("-XX:+NoSuchOptionForMemGuard", "Main"))
        .run(new MemGuardLog()))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("the program's JVM exited with status 1 before connecting to the debugger");
    assertThat(System.nanoTime() - start).as("well before the one-minute connect timeout").isLessThan(30_000_000_000L);
  }

  @Test
  void aCommandThatIsNotJavaIsAUsageError() {
    assertThatThrownBy(() -> JdwpMemGuard.command(List.of("python3", "app.py")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must start with 'java'");
    assertThatThrownBy(() -> JdwpMemGuard.command(List.of("java", "-agentlib:jdwp=transport=dt_socket", "Main")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already loads a JDWP agent");
  }
}
