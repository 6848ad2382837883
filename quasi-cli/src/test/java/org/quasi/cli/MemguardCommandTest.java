package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cli.QuasiCommandTest.Run;

/**
 * {@code ./quasi memguard} on small programs compiled for the test, in child JVMs with the agent jar the reactor built
 * in quasi-memguard/target (this module is built after it): the iterate-until-silent workflow of the README, a
 * dynamic {@code MemGuard.protect}, and the usage errors.
 */
class MemguardCommandTest {

  private static final Path MEMGUARD_CLASSES = Path.of("..", "quasi-memguard", "target", "classes")
      .toAbsolutePath().normalize();

  @TempDir
  static Path dir;
  static Path spec;

  @BeforeAll
  static void programs() throws IOException {
    write("before/demo/Config.java", """
        package demo;
        public class Config {
          public int limit = 10;
          public void setLimit(int limit) { this.limit = limit; }
        }
        """);
    // A setter handle called through invokeWithArguments(List): a write the agent cannot guard (it lists the call
    // for MemGuard), unlike Field.setInt, which it brackets with a guard (the "reflective" program).
    write("before/demo/Tuner.java", """
        package demo;
        import java.lang.invoke.MethodHandles;
        import java.util.List;
        public final class Tuner {
          static void tune(Config c) throws Throwable {
            MethodHandles.lookup().findSetter(Config.class, "limit", int.class).invokeWithArguments(List.of(c, 99));
          }
        }
        """);
    write("before/demo/Main.java", """
        package demo;
        public final class Main {
          public static void main(String[] args) throws Throwable {
            Config c = new Config();
            c.setLimit(20);
            Tuner.tune(c);
            System.out.println("limit=" + c.limit);
          }
        }
        """);
    write("after/demo/Config.java", Files.readString(dir.resolve("before/demo/Config.java")));
    write("after/demo/Main.java", Files.readString(dir.resolve("before/demo/Main.java")));
    write("after/demo/Tuner.java", """
        package demo;
        public final class Tuner {
          static void tune(Config c) {
            c.setLimit(99);
          }
        }
        """);
    write("reflective/demo/Config.java", Files.readString(dir.resolve("before/demo/Config.java")));
    write("reflective/demo/Main.java", Files.readString(dir.resolve("before/demo/Main.java")));
    write("reflective/demo/Tuner.java", """
        package demo;
        public final class Tuner {
          static void tune(Config c) throws ReflectiveOperationException {
            Config.class.getField("limit").setInt(c, 99);
          }
        }
        """);
    write("dynamic/demo/Config.java", Files.readString(dir.resolve("before/demo/Config.java")));
    write("dynamic/demo/Other.java", """
        package demo;
        final class Other {
          static void set(Config c, int v) {
            c.limit = v;
          }
        }
        """);
    write("dynamic/demo/Main.java", """
        package demo;
        import org.quasi.memguard.MemGuard;
        public final class Main {
          public static void main(String[] args) {
            Config watched = new Config();
            Config free = new Config();
            MemGuard.protect(watched, "limit");
            Other.set(watched, 7);
            Other.set(free, 8);
            System.out.println("limits=" + watched.limit + "," + free.limit);
          }
        }
        """);
    // A protected String field written with a line break in its new value.
    write("multiline/demo/Label.java", """
        package demo;
        public final class Label {
          public String text = "plain";
        }
        """);
    write("multiline/demo/Main.java", """
        package demo;
        import org.quasi.memguard.MemGuard;
        public final class Main {
          public static void main(String[] args) {
            Label label = new Label();
            MemGuard.protect(label, "text");
            label.text = "two\\nlines";
          }
        }
        """);
    compile("before");
    compile("multiline");
    compile("after");
    compile("reflective");
    compile("dynamic");
    spec = write("demo.spec", "quasi-spec 1\nquasi-invariant demo.Config.limit\n");
  }

  @Test
  void aSetterHandleWriteToASpecFieldIsReportedWithItsLineAndExitsOne() throws IOException {
    final Path log = dir.resolve("before.log");
    final Run run = memguard("--spec", spec.toString(), "--log", log.toString(), "--", java(), "-cp",
        dir.resolve("before-classes").toString(), "demo.Main");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("MemGuard: 1 unguarded write at 1 site:",
        "demo.Tuner.tune(Tuner.java:6)  demo.Config.limit  [AGENT_TRAP]", "full log: " + log);
    assertThat(Files.readString(log)).contains("unguarded write [AGENT_TRAP] MethodHandle setter",
        "value:  20 -> 99", "at demo.Tuner.tune(Tuner.java:6)", "at demo.Main.main(Main.java:6)");
  }

  @Test
  void aReflectiveWriteTheAgentGuardedIsNotReported() {
    final Run run = memguard("--spec", spec.toString(), "--", java(), "-cp",
        dir.resolve("reflective-classes").toString(), "demo.Main");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("MemGuard: no unguarded write");
  }

  @Test
  void afterTheFixTheRunIsSilentAndExitsZero() {
    final Run run = memguard("--spec", spec.toString(), "--", java(), "-cp", dir.resolve("after-classes").toString(),
        "demo.Main");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("MemGuard: no unguarded write");
  }

  @Test
  void aDynamicallyProtectedObjectIsReportedAndItsUnprotectedTwinIsNot() {
    final Run run = memguard("--verify-every", "1", "--", java(), "-cp",
        dir.resolve("dynamic-classes").toString(), "demo.Main");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("unguarded write [AGENT_TRAP] putfield", "value:  10 -> 7",
        "at demo.Other.set(Other.java:4)", "MemGuard: 1 unguarded write at 1 site:");
    final Matcher object = Pattern.compile("object: demo\\.Config@[0-9a-f]+").matcher(run.out());
    assertThat(object.find()).isTrue();
  }

  @Test
  void usageErrorsExitTwo() throws IOException {
    assertThat(memguard("--", "ls", "-l").err()).contains("'ls' is not a java executable");
    assertThat(memguard("--", "ls").exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(memguard().exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    final Path bad = write("bad.spec", "quasi-spec 1\nguard demo.Config.limit\n");
    final Run malformed = memguard("--spec", bad.toString(), "--", java(), "-version");
    assertThat(malformed.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(malformed.err()).contains(bad + ":2:");
    assertThat(memguard("--verify-every", "-1", "--", java(), "-version").exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
  }

  @Test
  void aLauncherOrLogDirectoryThatIsNotThereIsAUsageErrorBeforeAnythingRuns() {
    final Run launcher = memguard("--", "/no/such/jdk/bin/java", "-version");
    assertThat(launcher.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(launcher.err()).isEqualTo("quasi memguard: no java launcher at /no/such/jdk/bin/java"
        + System.lineSeparator());
    final Run log = memguard("--log", "/no/such/dir/memguard.log", "--", java(), "-version");
    assertThat(log.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(log.err()).contains("the log's directory /no/such/dir does not exist");
    assertThat(log.out()).isEmpty();
  }

  /**
   * A protected String field written with a line break in its new value: the log escapes it, so the child's log
   * reads back whole and the write is reported with its value as written (it once split its block and made the log
   * unreadable).
   */
  @Test
  void aValueWithALineBreakIsLoggedOnOneLineAndReadBack() {
    final Run run = memguard("--", java(), "-cp", dir.resolve("multiline-classes").toString(), "demo.Main");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.out()).contains("MemGuard: 1 unguarded write at 1 site:", "demo.Label.text");
  }

  // -----------------------------------------------------------------------------------------------------------------

  private static Run memguard(final String... args) {
    final List<String> all = new ArrayList<>(List.of("memguard"));
    all.addAll(List.of(args));
    return QuasiCommandTest.quasi(all.toArray(String[]::new));
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Path write(final String path, final String text) throws IOException {
    final Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static void compile(final String version) throws IOException {
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    final List<String> args = new ArrayList<>(List.of("-cp", MEMGUARD_CLASSES.toString(), "-d",
        dir.resolve(version + "-classes").toString(), "-g"));
    try (var files = Files.list(dir.resolve(version).resolve("demo"))) {
      files.forEach(f -> args.add(f.toString()));
    }
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
  }
}
