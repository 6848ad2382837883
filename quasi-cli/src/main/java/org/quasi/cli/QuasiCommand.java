package org.quasi.cli;

import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./quasi} command. Each tool is a subcommand; this class only dispatches and maps failures to exit codes.
 *
 * <p>Exit codes, the same for every subcommand: 0 success; 1 the tool ran and reports findings or a failed check;
 * 2 usage or input error (bad option, missing file or class, malformed spec); 3 an internal failure.
 */
@Command(
    name = "quasi",
    mixinStandardHelpOptions = true,
    versionProvider = QuasiCommand.Version.class,
    description = "Specialize Java code on quasi-invariants, guard the writes that break them, replug at run time.",
    subcommands = {
        TourCommand.class,
        GuardsCommand.class,
        BenchCommand.class,
        SpecializeCommand.class,
        ValidateCommand.class,
        ShadowCommand.class,
        WeaveCommand.class,
        EventsCommand.class,
        MemguardCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class QuasiCommand implements Runnable {

  /** Success. */
  public static final int EXIT_OK = 0;

  /** The tool ran and found something (findings, a failed target). */
  public static final int EXIT_FINDINGS = 1;

  /** Usage or input error. */
  public static final int EXIT_USAGE = 2;

  /** An internal failure: a bug in Quasi, reported with its stack trace. */
  public static final int EXIT_INTERNAL = 3;

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /**
   * Set by a command that ran library code in this JVM ({@code validate}): that code may have left shutdown hooks,
   * which must neither write after the command's output nor keep the JVM from ending (agrona's
   * {@code ShutdownSignalBarrier} waits for ever for barriers nobody closes).
   */
  static final AtomicBoolean RAN_LIBRARY_CODE = new AtomicBoolean();

  /** Runs the command line and exits with its code. */
  public static void main(final String[] args) {
    final int code = execute(args);
    if (RAN_LIBRARY_CODE.get()) {
      // Quasi's own commands register no hook: halting skips only the libraries'.
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(code);
    }
    System.exit(code);
  }

  /** Runs the command line and returns its exit code; the entry point tests use. */
  public static int execute(final String... args) {
    final CommandLine cli = new CommandLine(new QuasiCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof UsageException) {
        commandLine.getErr().println("quasi " + commandLine.getCommandName() + ": " + e.getMessage());
        return EXIT_USAGE;
      }
      commandLine.getErr().println("quasi " + commandLine.getCommandName() + ": internal error: " + e);
      e.printStackTrace(commandLine.getErr());
      return EXIT_INTERNAL;
    });
    try {
      return cli.execute(args);
    } catch (Error e) {
      // picocli hands only Exceptions to the handler above; an Error (OutOfMemoryError, say) escaping a command
      // would otherwise end the JVM with status 1, which means "findings", not a failure of the tool.
      cli.getErr().println("quasi: internal error: " + e);
      e.printStackTrace(cli.getErr());
      return EXIT_INTERNAL;
    } finally {
      cli.getOut().flush();
      cli.getErr().flush();
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version from the jar's manifest, or says it is a development build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      final String v = QuasiCommand.class.getPackage().getImplementationVersion();
      return new String[] {"quasi " + (v != null ? v : "(development build)") + ", Java "
          + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
  }
}
