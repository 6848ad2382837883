package org.quasi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.quasi.memguard.LaunchException;
import org.quasi.memguard.MemGuardLauncher;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi memguard [--spec FILE] [--log FILE] [--verify-every N] [--jdwp] -- java ARGS}: runs a program under MemGuard
 * (module quasi-memguard) and reports every write to a protected quasi-invariant that bypassed the guards. Exit
 * status: 0 silent; 1 unguarded writes found; 2 usage or input error (malformed spec with its line, no program, no
 * java launcher, no directory for the log); 3 the program's JVM wrote no log (the agent did not start, or the JVM
 * was killed), or a log MemGuard cannot read back.
 */
@Command(name = "memguard", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run a Java program (typically its test suite) under MemGuard: guards are woven as by the agent, "
        + "every other write to a protected quasi-invariant is trapped and logged with its thread, stack (file:line), "
        + "object, field, old and new value, and the mechanism that caught it; then a summary of writing sites.",
        "Protected: the spec's fields (every instance), what the program protects with MemGuard.protect, and the "
        + "dependencies of specialized entry points.",
        "Iterate: add the guard (or spec line) for each reported site and rerun until MemGuard is silent.",
        "With --jdwp the program also runs under a loopback debugger connection (JDWP_WATCH), which sees JNI "
        + "Set<Type>Field writes the agent cannot; it runs the program in the interpreter, so it is much slower.",
        "Exit status: 0 silent, 1 unguarded writes found, 2 usage or input error, 3 no readable log from the "
            + "program."})
final class MemguardCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--spec", paramLabel = "FILE",
      description = "A spec file of quasi-invariants (docs/SPEC.md): woven as guards, protected on every instance, "
          + "and the fields whose putfield/putstatic are trapped (without it, every putfield/putstatic is).")
  private Path specFile;

  @Option(names = "--log", paramLabel = "FILE",
      description = "Write the full log there (default: print it here).")
  private Path logFile;

  @Option(names = "--verify-every", paramLabel = "N", defaultValue = "0",
      description = "Verify the dependencies of specialized versions on every N-th call (0, the default: off).")
  private int verifyEvery;

  @Option(names = "--jdwp",
      description = "Also watch the protected fields through a debugger connection bound to 127.0.0.1 (JDWP "
          + "field-modification watchpoints): adds JNI writes and classes no agent transforms; much slower.")
  private boolean jdwp;

  @Parameters(paramLabel = "JAVA", arity = "1..*",
      description = "The program, after --: java [options] MAIN|-jar JAR [args].")
  private List<String> command = new ArrayList<>();

  @Override
  public Integer call() {
    final PrintWriter out = spec.commandLine().getOut();
    MemGuardLauncher launcher;
    try {
      launcher = MemGuardLauncher.builder(command).verifyEvery(verifyEvery).jdwp(jdwp);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (specFile != null) {
      try {
        SpecParser.parse(specFile);
      } catch (SpecException e) {
        throw new UsageException(e.getMessage());
      } catch (IOException e) {
        throw new UsageException("cannot read spec file " + specFile + " (" + e.getMessage() + ")");
      }
      launcher = launcher.spec(specFile);
    }
    if (logFile != null) {
      launcher = launcher.log(logFile);
    }
    final MemGuardLauncher.Outcome outcome;
    try {
      outcome = launcher.run();
    } catch (LaunchException e) {
      // The launcher's only exception for the user's input; a log MemGuard cannot read back is internal (exit 3).
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      spec.commandLine().getErr().println("quasi memguard: " + e.getMessage());
      return QuasiCommand.EXIT_INTERNAL;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      spec.commandLine().getErr().println("quasi memguard: interrupted while the program ran");
      return QuasiCommand.EXIT_INTERNAL;
    }
    final MemGuardLog log = outcome.log();
    if (outcome.logFile() == null) {
      for (final UnguardedWrite w : log.writes()) {
        out.print(MemGuardLog.block(w));
      }
    }
    out.print(log.summary());
    if (outcome.logFile() != null) {
      out.println("full log: " + outcome.logFile());
    }
    if (outcome.programStatus() != 0) {
      out.println("(the program exited with status " + outcome.programStatus() + ")");
    }
    out.flush();
    return log.count() > 0 ? QuasiCommand.EXIT_FINDINGS : QuasiCommand.EXIT_OK;
  }
}
