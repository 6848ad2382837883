package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cli.QuasiCommandTest.quasi;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./quasi specialize} through {@link QuasiCommand#execute}. */
class SpecializeCommandTest {

  private static String classPath() throws URISyntaxException {
    return Path.of(SpecializeSample.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void printsResidualCodeAndSummary() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.power(JI)J", "--known", "1=5");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("static long specialized(J)J", "LMUL", "summary: instructions",
        "calls inlined 3", "dependencies: none");
    assertThat(run.out()).doesNotContain("INVOKESTATIC");
  }

  @Test
  void readsStringAndBooleanLiterals() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.greet", "--known", "1=true", "--known", "0=\"Ada\"");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("static java.lang.String specialized()", "branches folded 1");
  }

  @Test
  void missingClassNamesTheNearest() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSampel.power");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("class org.quasi.cli.SpecializeSampel not found", "nearest:",
        "org.quasi.cli.SpecializeSample");
  }

  @Test
  void badLiteralIsAUsageError() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.power", "--known", "1=five");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("has type int", "'five'");
  }

  @Test
  void declineIsAFinding() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.nativeSum");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    assertThat(run.err()).contains("nativeSum(II)I", "native method");
  }

  @Test
  void exceptionHandlersGetResidualHandlers() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.safeDivide", "--known", "1=0");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("TRYCATCHBLOCK", "java/lang/ArithmeticException", "IDIV");
  }

  @Test
  void jdkPolicyDecidesWhetherJdkMethodsAreInlined() throws Exception {
    final QuasiCommandTest.Run called = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.decimal");
    assertThat(called.exit()).as(called.err()).isZero();
    assertThat(called.out()).contains("INVOKESTATIC java/lang/Integer.toString (II)");
    final QuasiCommandTest.Run inlined = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.decimal", "--jdk-inline", "java.lang");
    assertThat(inlined.exit()).as(inlined.err()).isZero();
    assertThat(inlined.out()).doesNotContain("toString (II)").contains("INVOKESTATIC java/lang/Integer.toString (I)");
    final QuasiCommandTest.Run bad = quasi("specialize", "--class-path", classPath(),
        "--method", "org.quasi.cli.SpecializeSample.decimal", "--jdk-inline", "java..lang");
    assertThat(bad.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(bad.err()).contains("Not a package name: 'java..lang'");
  }

  @Test
  void aMethodWhoseSignatureNamesAClassMissingFromTheClassPathIsAUsageError(@TempDir final Path dir)
      throws Exception {
    final Path src = Files.createDirectories(dir.resolve("src/gone"));
    Files.writeString(src.resolve("Absent.java"), "package gone; public final class Absent {}\n");
    Files.writeString(src.resolve("User.java"), """
        package gone;
        public final class User {
          public static int twice(final int x) { return 2 * x; }
          public static Absent absent() { return null; }
        }
        """);
    final Path classes = Files.createDirectories(dir.resolve("classes"));
    assertThat(ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
        src.resolve("Absent.java").toString(), src.resolve("User.java").toString())).isZero();
    Files.delete(classes.resolve("gone/Absent.class"));

    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classes.toString(),
        "--method", "gone.User.twice");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).isEqualTo("quasi specialize: gone.User refers to a class missing from " + classes
        + ": gone/Absent" + System.lineSeparator());
  }

  /**
   * What escapes the specializer is exit 3, not a usage error. The specializer turns its own failures into a
   * decline (exit 1) and documents no {@code IllegalArgumentException} for {@code residual()}, so no input makes one
   * escape; what does escape is the {@link ExceptionInInitializerError} of a class it must initialize to fold a static
   * quasi-invariant, whose initializer throws.
   */
  @Test
  void aFailureEscapingTheSpecializerIsInternal() throws Exception {
    final QuasiCommandTest.Run run = quasi("specialize", "--class-path", classPath(),
        "--method", Unready.class.getName() + ".scaled", "--quasi-invariant", Unready.class.getName() + ".factor");
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_INTERNAL);
    assertThat(run.err()).startsWith("quasi: internal error: java.lang.ExceptionInInitializerError")
        .contains("Caused by: java.lang.IllegalStateException: Unready cannot be initialized");
  }

  /** A class whose initialization always fails. */
  static final class Unready {
    static int factor = 3;

    static {
      if (factor > 0) {
        throw new IllegalStateException("Unready cannot be initialized");
      }
    }

    private Unready() {}

    static int scaled(final int x) {
      return x * factor;
    }
  }
}
