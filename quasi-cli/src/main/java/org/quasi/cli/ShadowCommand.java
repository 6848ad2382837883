package org.quasi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.concurrent.Callable;
import org.quasi.agent.shadow.LaunchException;
import org.quasi.agent.shadow.NoReportException;
import org.quasi.agent.shadow.ShadowLauncher;
import org.quasi.agent.shadow.ShadowOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi shadow [options] -- java ARGS}: runs a Java program with the agent in shadow mode (see
 * {@link org.quasi.agent.shadow.ShadowAgent}) and prints the shadow's summary on standard error.
 */
@Command(name = "shadow", mixinStandardHelpOptions = true,
    description = {"Run a Java program with shadow mode: sampled invocations of its methods that are proven free of "
        + "heap writes are specialized on a random split of their actual arguments, and the residual code's outcome "
        + "is compared with the original's. The program's own behaviour and output are unchanged.",
        "Exit code 1 when a residual method diverged or the shadow crashed; 2 for a usage error (bad option, no "
            + "java launcher, not an agent jar, no directory for --report); the program's exit status when the "
            + "agent did not start in it (3 if that status is 0), and 3 when its report cannot be read; otherwise "
            + "the program's exit status. A program that ends without running its shutdown hooks (killed, halted) "
            + "still gets the report shadow mode wrote while it ran, missing at most the trials of its last second."})
final class ShadowCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--sample", paramLabel = "1/N", defaultValue = "1/100",
      description = "Shadow one invocation in N of each probed method (default: ${DEFAULT-VALUE}).")
  private String sample;

  @Option(names = "--include", paramLabel = "REGEX", defaultValue = "",
      description = "Probe only classes whose binary name contains a match (default: all of the program's).")
  private String include;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of the sampling and of the known/unknown splits (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--max-per-method", paramLabel = "K", defaultValue = "8",
      description = "Shadow at most K invocations of each method (default: ${DEFAULT-VALUE}).")
  private int maxPerMethod;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
  private Path report;

  @Option(names = "--measure-slowdown", description = "Run the program once without shadow mode first (its output "
      + "discarded) and report both wall times.")
  private boolean measureSlowdown;

  @Option(names = "--agent", paramLabel = "JAR", description = "The agent jar (default: quasi-agent/target/"
      + "quasi-agent.jar of this build).")
  private Path agent;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "After --: java and its arguments.")
  private List<String> command;

  @Override
  public Integer call() throws IOException, InterruptedException {
    final ShadowOptions options;
    try {
      options = new ShadowOptions(rate(sample), seed, Pattern.compile(include), maxPerMethod, report, null);
    } catch (PatternSyntaxException e) {
      throw new UsageException("--include is not a regular expression: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    final Path jar = agent != null ? agent : defaultAgent();
    if (!Files.isRegularFile(jar)) {
      throw new UsageException("no agent jar at " + jar + ": build it with mvn -pl quasi-agent -am package, or name "
          + "it with --agent");
    }
    final ShadowLauncher.Outcome o;
    final PrintWriter err = spec.commandLine().getErr();
    try {
      o = ShadowLauncher.run(jar, options, command, measureSlowdown);
    } catch (LaunchException e) {
      // The launcher's only exception for the user's input; a report it cannot read is internal (exit 3).
      throw new UsageException(e.getMessage());
    } catch (NoReportException e) {
      // The program's own failure to start with the agent (its lines above say why): its status, not ours.
      err.println("quasi shadow: " + e.getMessage());
      err.flush();
      return e.status() != 0 ? e.status() : QuasiCommand.EXIT_INTERNAL;
    }
    if (!o.complete()) {
      err.println("quasi shadow: the program " + ShadowLauncher.ended(o.exitStatus()) + " without running its "
          + "shutdown hooks; the report below is the last one shadow mode wrote while it ran (the trials of its last "
          + "second may be missing)");
    }
    err.print(o.summary());
    err.printf("program exit status %d; wall time with shadow %.2f s%n", o.exitStatus(), o.shadowedNanos() / 1e9);
    if (o.plainNanos() >= 0) {
      err.printf("wall time without shadow %.2f s (exit status %d): slowdown %.2fx (one run each, JVM start "
          + "included)%n", o.plainNanos() / 1e9, o.plainStatus(), (double) o.shadowedNanos() / o.plainNanos());
    }
    err.flush();
    if (o.diverged() > 0 || o.crashed() > 0) {
      return QuasiCommand.EXIT_FINDINGS;
    }
    return o.exitStatus();
  }

  /** Parses "1/N" or "N". */
  private static long rate(final String text) {
    final String n = text.startsWith("1/") ? text.substring(2) : text;
    try {
      return Long.parseLong(n.strip());
    } catch (NumberFormatException e) {
      throw new UsageException("--sample " + text + " is not 1/N with N a positive whole number");
    }
  }

  /** quasi-agent/target/quasi-agent.jar beside this module's target directory (its jar or its classes). */
  private static Path defaultAgent() {
    try {
      final Path self = Path.of(ShadowCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return self.toAbsolutePath().getParent().getParent().getParent().resolve("quasi-agent/target/quasi-agent.jar");
    } catch (URISyntaxException | RuntimeException e) {
      return Path.of("quasi-agent/target/quasi-agent.jar");
    }
  }
}
