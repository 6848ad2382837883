package org.quasi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Problem;
import org.quasi.typeguard.ProgressListener;
import org.quasi.typeguard.ReportFormat;
import org.quasi.typeguard.TypeGuard;
import org.quasi.typeguard.TypeGuardReport;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi guards}: finds every write that can break a quasi-invariant across a class path (module
 * quasi-typeguard) and reports it as text, JSON or SARIF. Exit status: 0 no findings beyond the allowed, 1 findings,
 * 2 usage or input error (the report is still written, listing what was skipped).
 */
@Command(name = "guards", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Find every write that can break a quasi-invariant: putfield/putstatic (resolved as the JVM does), "
        + "reflection, method and var handles, field updaters, Unsafe, JNI, serialization, escaping arrays.",
        "By default constructor writes to 'this', writes and array element writes inside the declaring class, and "
            + "reads are allowed; everything else is a finding (exit 1).",
        "Exit status: 0 nothing beyond the allowed, 1 findings, 2 usage or input error."})
final class GuardsCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"--class-path", "-cp"}, paramLabel = "CP", split = "${sys:path.separator}",
      description = "Directories and jars to analyse, separated by '${sys:path.separator}' (repeatable).")
  private List<Path> classPath = new ArrayList<>();

  @Option(names = "--jdk", description = "Also analyse the running JDK's modules (jrt:/).")
  private boolean jdk;

  @Option(names = "--jdk-module", paramLabel = "MODULE", split = ",",
      description = "With --jdk, analyse only these modules (such as java.base; repeatable).")
  private List<String> jdkModules = new ArrayList<>();

  @Option(names = "--field", paramLabel = "Owner.field",
      description = "A quasi-invariant, such as com.x.Task.uid (binary class name; repeatable).")
  private List<String> fields = new ArrayList<>();

  @Option(names = "--spec", paramLabel = "FILE", description = "A spec file of quasi-invariants (docs/SPEC.md).")
  private List<Path> specs = new ArrayList<>();

  @Option(names = "--no-annotations",
      description = "Do not add the fields annotated @QuasiInvariant in the analysed code.")
  private boolean noAnnotations;

  @Option(names = "--reads", description = "Also report every read site (never counted against the run).")
  private boolean reads;

  @Option(names = "--allow", paramLabel = "KIND", split = ",",
      description = "Also allow these finding kinds (rule id such as TG209, or name such as jni-native).")
  private List<String> allow = new ArrayList<>();

  @Option(names = "--strict", description = "Allow nothing but what --allow names.")
  private boolean strict;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, json or sarif (default: ${DEFAULT-VALUE}).")
  private String format;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of the terminal.")
  private Path out;

  @Option(names = "--source-prefix", paramLabel = "DIR", defaultValue = "",
      description = "Prefix for source paths in SARIF, such as src/main/java/, so they are relative to the "
          + "repository root.")
  private String sourcePrefix;

  @Option(names = "--threads", paramLabel = "N", description = "Analysis threads (default: all processors).")
  private Integer threads;

  @Override
  public Integer call() {
    final PrintWriter stdout = spec.commandLine().getOut();
    final PrintWriter stderr = spec.commandLine().getErr();
    final ReportFormat reportFormat = parse(() -> ReportFormat.parse(format));
    if (!jdkModules.isEmpty() && !jdk) {
      throw new UsageException("--jdk-module " + String.join(",", jdkModules) + " needs --jdk");
    }
    if (classPath.isEmpty() && !jdk) {
      throw new UsageException("give a class path to analyse (--class-path CP) or --jdk");
    }
    TypeGuard.Builder builder = TypeGuard.builder().classPath(classPath).includeJdk(jdk).jdkModules(jdkModules)
        .annotations(!noAnnotations).reads(reads).allow(allowed());
    if (threads != null) {
      final TypeGuard.Builder b = builder;
      builder = parse(() -> b.parallelism(threads));
    }
    for (final String f : fields) {
      final TypeGuard.Builder b = builder;
      builder = parse(() -> b.field(f));
    }
    for (final Path file : specs) {
      try {
        builder = builder.spec(SpecParser.parse(file));
      } catch (SpecException e) {
        throw new UsageException(e.getMessage());
      } catch (IOException e) {
        throw new UsageException("cannot read spec file " + file + " (" + e.getMessage() + ")");
      }
    }
    final TerminalProgress progress = TerminalProgress.forConsole(stderr);
    final TypeGuardReport report = builder.progress(progress).build().analyze();
    progress.finish();
    if (report.fields().isEmpty() && report.problems().isEmpty()) {
      throw new UsageException("no quasi-invariant to check: name one with --field Owner.field or --spec FILE, "
          + "or annotate fields @QuasiInvariant in the analysed code");
    }
    write(report, reportFormat, stdout);
    final int beyond = report.findingsBeyondAllowed().size();
    if (out != null) {
      stdout.printf("quasi guards: %d findings, %d not allowed, %d problems; report written to %s%n",
          report.findings().size(), beyond, report.problems().size(), out);
    }
    if (!report.problems().isEmpty()) {
      if (reportFormat != ReportFormat.TEXT || out != null) {
        for (final Problem p : report.problems()) {
          stderr.println("quasi guards: " + p.message());
        }
      }
      final int n = report.problems().size();
      stderr.println("quasi guards: the analysis is incomplete (" + n + (n == 1 ? " problem" : " problems")
          + "); exit status 2");
      return QuasiCommand.EXIT_USAGE;
    }
    return beyond > 0 ? QuasiCommand.EXIT_FINDINGS : QuasiCommand.EXIT_OK;
  }

  private Set<FindingKind> allowed() {
    final Set<FindingKind> kinds = strict ? EnumSet.noneOf(FindingKind.class)
        : EnumSet.copyOf(FindingKind.DEFAULT_ALLOWED);
    for (final String name : allow) {
      kinds.add(parse(() -> FindingKind.parse(name)));
    }
    return kinds;
  }

  private void write(final TypeGuardReport report, final ReportFormat reportFormat, final PrintWriter stdout) {
    if (out == null) {
      reportFormat.write(report, stdout, sourcePrefix);
      stdout.flush();
      return;
    }
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      reportFormat.write(report, w, sourcePrefix);
    } catch (IOException e) {
      throw new UsageException("cannot write the report to " + out + " (" + e.getMessage() + ")");
    }
  }

  /** Turns the library's IllegalArgumentException for bad names into a usage error with the same message. */
  private static <T> T parse(final java.util.function.Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  /** A one-line progress bar on the terminal's error stream; silent when there is no console. */
  static final class TerminalProgress implements ProgressListener {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private volatile boolean drawn;

    private TerminalProgress(final PrintWriter err) {
      this.err = err;
    }

    /** A bar if a console is attached (an interactive run), else one that prints nothing. */
    static TerminalProgress forConsole(final PrintWriter err) {
      return new TerminalProgress(System.console() != null ? err : null);
    }

    @Override
    public synchronized void progress(final long done, final long total) {
      if (err == null || total < 2000) {
        return; // small runs end before a bar would help
      }
      final int filled = (int) (WIDTH * done / Math.max(1, total));
      err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + done + "/" + total + " classes");
      err.flush();
      drawn = true;
    }

    /** Ends the bar's line. */
    synchronized void finish() {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }
}
