package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.cases.signals.Kernel;

/**
 * Issue 6 meets TypeGuard: {@code ./quasi guards} on the signals case with its spec finds exactly the writes that
 * {@code docs/cases-signals.md} lists as the ones the quasi variant must guard, and no write in the hand kernel.
 */
class SignalsSpecGuardsTest {

  /** A finding line of the text report: {@code ! TG104 write-elsewhere  definite owner.method(desc) (File.java:N)}. */
  private static final Pattern FINDING = Pattern.compile("^\\s+! (TG\\d+) \\S+\\s+\\S+ ([\\w.$]+)\\.([\\w<>$]+)\\(");

  /** A field header of the text report. */
  private static final Pattern FIELD = Pattern.compile("^org\\.quasi\\.cases\\.signals\\.(\\w+\\.\\w+)\\s");

  @Test
  void theGuardTableOfThePlanIsWhatTypeGuardFinds(@TempDir final Path dir) throws IOException, URISyntaxException {
    Path classes = Path.of(Kernel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path spec = dir.resolve("signals.spec");
    try (InputStream in = Kernel.class.getResourceAsStream("signals.spec")) {
      assertThat(in).as("the case's spec is a resource next to Kernel").isNotNull();
      Files.copy(in, spec);
    }

    QuasiCommandTest.Run run = QuasiCommandTest.quasi("guards", "-cp", classes.toString(), "--spec", spec.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(QuasiCommand.EXIT_FINDINGS);
    Set<String> writes = new TreeSet<>();
    String field = null;
    for (String line : run.out().split("\\R")) {
      Matcher header = FIELD.matcher(line);
      if (header.find()) {
        field = header.group(1);
      }
      Matcher finding = FINDING.matcher(line);
      if (finding.find()) {
        String owner = finding.group(2);
        writes.add(field + " <- " + owner.substring(owner.lastIndexOf('.') + 1) + "." + finding.group(3));
      }
    }
    assertThat(writes).containsExactly(
        "SigAction.handler <- Kernel.handleSignal",
        "SigAction.handler <- Kernel.sysSigaction",
        "SigAction.handler <- SignalStruct.copyOf",
        "Task.euid <- Kernel.sysSetreuid",
        "Task.euid <- Kernel.sysSetuid",
        "Task.euid <- KernelCore.forkFrom",
        "Task.nextTask <- KernelCore.<init>",
        "Task.nextTask <- KernelCore.forkFrom",
        "Task.nextTask <- KernelCore.release",
        "Task.pid <- KernelCore.forkFrom",
        "Task.session <- Kernel.sysSetsid",
        "Task.session <- KernelCore.forkFrom",
        "Task.sig <- KernelCore.<init>",
        "Task.sig <- KernelCore.doExit",
        "Task.sig <- KernelCore.forkFrom",
        "Task.suid <- Kernel.sysSetreuid",
        "Task.suid <- Kernel.sysSetuid",
        "Task.suid <- KernelCore.forkFrom",
        "Task.uid <- Kernel.sysSetreuid",
        "Task.uid <- Kernel.sysSetuid",
        "Task.uid <- KernelCore.forkFrom");
  }
}
