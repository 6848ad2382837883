package org.quasi.cases.signals.memguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.memguard.Mechanism;
import org.quasi.memguard.MemGuardLauncher;
import org.quasi.memguard.UnguardedWrite;

/**
 * Issue 6's "the case's test suite runs under {@code ./quasi memguard} with no unguarded write", kept true by CI: the
 * differential history test, the guard-firing tests and the Quasi kernel's version tests rerun in a child JVM under
 * MemGuard exactly as {@code ./quasi memguard} runs them (the same launcher and agent), with the spec surefire gives
 * the agent ({@code signals-guards.spec}: MemGuard's agent weaves its guards, so the child gets no second agent), the
 * spec's fields protected on every task and handler, and the verifier on. The run must pass and the log stay empty.
 *
 * <p>The control: the same run plus {@link UnguardedUidWrite}, which writes {@code Task.uid} by reflection, must be
 * caught, where it happens and again by the verifier at the stale version's next call.
 */
class SignalsUnderMemGuardTest {

  /** The bounded subset: the differential history test and the guard-firing tests, and the versions at work. */
  private static final List<String> SUITE = List.of("org.quasi.cases.signals.VariantEquivalenceTest",
      "org.quasi.cases.signals.QuasiInvariantChangesTest", "org.quasi.cases.signals.QuasiKernelTest");

  /** Every 4th call of a version re-reads its dependencies: the histories' versions are called a few times each. */
  private static final int VERIFY_EVERY = 4;

  @Test
  void theSignalsTestsRunSilentUnderMemGuard(@TempDir final Path dir) throws Exception {
    final MemGuardLauncher.Outcome outcome = run(SUITE, VERIFY_EVERY, dir.resolve("memguard.log"));
    assertThat(outcome.programStatus()).as("the tests passed under MemGuard (their report is above)").isZero();
    assertThat(outcome.log().writes()).as(outcome.log().text()).isEmpty();
  }

  @Test
  void aDeliberatelyUnguardedWriteInTheSameRunIsCaught(@TempDir final Path dir) throws Exception {
    final List<String> classes = new ArrayList<>(SUITE);
    classes.add(UnguardedUidWrite.class.getName());
    final MemGuardLauncher.Outcome outcome = run(classes, 1, dir.resolve("memguard.log"));
    assertThat(outcome.programStatus()).as("the tests passed under MemGuard (their report is above)").isZero();
    final List<UnguardedWrite> writes = outcome.log().writes();
    final String text = outcome.log().text();
    assertThat(writes).as(text).isNotEmpty();
    assertThat(writes).as(text).allSatisfy(w -> {
      assertThat(w.owner()).isEqualTo("org.quasi.cases.signals.Task");
      assertThat(w.field()).isEqualTo("uid");
    });
    assertThat(writes).as(text).anySatisfy(w -> {
      assertThat(w.mechanism()).isEqualTo(Mechanism.AGENT_TRAP);
      assertThat(w.how()).isEqualTo("MethodHandle setter");
      assertThat(w.site()).startsWith(UnguardedUidWrite.class.getName() + ".writesTaskUidPastTheGuards(");
      assertThat(w.oldValue()).isEqualTo("500");
      assertThat(w.newValue()).isEqualTo("600");
    });
    assertThat(writes).as(text).anySatisfy(w -> assertThat(w.mechanism()).isEqualTo(Mechanism.VERIFIER));
    assertThat(writes).as("the guarded Field.setInt is not reported: " + text)
        .noneSatisfy(w -> assertThat(w.how()).startsWith("Field.set"));
  }

  /** {@code ./quasi memguard --spec signals-guards.spec --verify-every N -- java -cp TESTS SuiteMain CLASSES}. */
  private static MemGuardLauncher.Outcome run(final List<String> classes, final int verifyEvery, final Path log)
      throws Exception {
    final List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(childClassPath());
    command.add(SuiteMain.class.getName());
    command.addAll(classes);
    return MemGuardLauncher.builder(command).spec(guardsSpec()).verifyEvery(verifyEvery).log(log).run();
  }

  /**
   * The module's test class path (surefire's, not its booter jar's), without quasi-memguard itself: the child gets
   * MemGuard from its agent jar only, as a program run by {@code ./quasi memguard} does.
   */
  private static String childClassPath() {
    final String full = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final List<String> kept = new ArrayList<>();
    for (final String entry : full.split(File.pathSeparator)) {
      if (!entry.contains("quasi-memguard")) {
        kept.add(entry);
      }
    }
    return String.join(File.pathSeparator, kept);
  }

  private static Path guardsSpec() throws URISyntaxException {
    return Path.of(SignalsUnderMemGuardTest.class.getResource("/org/quasi/cases/signals/signals-guards.spec").toURI());
  }
}
