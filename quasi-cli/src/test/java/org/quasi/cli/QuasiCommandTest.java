package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command line as a user meets it: exit codes and what is printed. */
class QuasiCommandTest {

  /** What one run printed and returned. */
  record Run(int exit, String out, String err) {}

  static Run quasi(final String... args) {
    final PrintStream oldOut = System.out;
    final PrintStream oldErr = System.err;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      final int exit = QuasiCommand.execute(args);
      return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void noArgumentsPrintsUsage() {
    final Run run = quasi();
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("Usage: quasi", "tour", "bench");
  }

  @Test
  void unknownOptionIsAUsageError() {
    final Run run = quasi("--frobnicate");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void benchListNamesTheGroups() {
    final Run run = quasi("bench", "--list");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("replug", "call cost of the three repluggers");
  }

  @Test
  void benchOfAnUnknownGroupSaysWhichExist() {
    final Run run = quasi("bench", "replugs");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).isEqualTo("quasi bench: no benchmark group 'replugs'; groups: replug, specializer, "
        + "typeguard, signals, guards, memguard, shadow"
        + System.lineSeparator());
  }

  @Test
  void benchOnlyPatternsThatMatchNothingNameTheGroupsBenchmarks() {
    final Run run = quasi("bench", "replug", "--only", "NoSuchBenchmark");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("no benchmark of group 'replug' matches [NoSuchBenchmark]; its benchmarks: ")
        .contains("ReplugCallBenchmark.directCall", "ReplugLatencyBenchmark.simple");
    assertThat(run.out()).doesNotContain("Running group");
    final Run malformed = quasi("bench", "replug", "--only", "(");
    assertThat(malformed.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(malformed.err()).startsWith("quasi bench: --only is not a regular expression: Unclosed group");
  }

  @Test
  void benchJsonInADirectoryThatDoesNotExistIsAUsageErrorBeforeAnythingRuns() {
    final Run run = quasi("bench", "replug", "--quick", "--json", "/no/such/dir/replug.json");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--json /no/such/dir/replug.json: the directory /no/such/dir does not exist");
    assertThat(run.out()).doesNotContain("Running group");
  }

  @Test
  void benchWithoutANameIsAUsageError() {
    final Run run = quasi("bench");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("name a benchmark group, one of: replug");
  }

  @Test
  void tourTellsTheReplugStory() {
    final Run run = quasi("tour", "--no-measure");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("1. Replugging")
        .contains("FunctionPointer:    generic -+-+-, replugged to specialized -+-+- -> same answers")
        .contains("SimpleReplugger:    generic -+-+-, replugged to specialized -+-+- -> same answers")
        .contains("CountingReplugger:  generic -+-+-, replugged to specialized -+-+- -> same answers")
        .contains("CountingReplugger:  accept(8080) = true   (threads still inside the old version: 0)")
        .doesNotContain("DIFFERENT");
  }

  @Test
  void tourShowsAGuardFiringAndTheReplugItCauses() {
    final Run run = quasi("tour", "--no-measure");
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("3. Guards and replugging",
        "woven: org.quasi.cli.tour.GuardedFirewall, QUID added: true, guarded writes: 4",
        "counters: 3 calls (2 specialized, 1 generic), 1 specializations, 1 invalidations",
        "accept(cfg, 8443) = false (generic), accept(cfg, 8080) = true");
  }

  @Test
  void tourTellsTheSpecializerStory() {
    final Run run = quasi("tour", "--no-measure");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("2. Specializing")
        .contains("static boolean specialized(I)Z", "SIPUSH 1024", "LDC 65535", "SIPUSH 8080")
        .contains("heap reads folded 3")
        .contains("QUASI_INVARIANT_FIELD Filter@")
        .contains("Same answers as the generic filter on ports 22, 1024, 8080, 8443, 70000: true");
  }

  @Test
  void tourTellsThePapersExperiment() {
    final Run run = quasi("tour", "--no-measure");
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("4. The paper's experiment: signals")
        .contains("quasi-invariant org.quasi.cases.signals.Task.{nextTask, pid, uid, euid, suid, session, sig}")
        .contains("calls left in it: Kernel.wakeUpProcess")
        .contains("kill(62, SIGUSR1) = -EPERM: the generic kill path, replugged")
        .contains("entry point: 4 calls (2 specialized, 2 generic); versions: 2 made, 1 invalidated")
        .doesNotContain("Measuring");
  }

  @Test
  void versionNamesJava() {
    final Run run = quasi("--version");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("quasi ").contains("Java " + Runtime.version().feature());
  }
}
