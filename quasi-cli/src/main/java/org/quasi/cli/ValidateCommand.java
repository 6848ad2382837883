package org.quasi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.quasi.specializer.validate.ClassPathException;
import org.quasi.specializer.validate.ValidationReport;
import org.quasi.specializer.validate.Validator;
import org.quasi.specializer.validate.internal.ClassPathScanner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi validate}: differential validation of the specializer on a class path (see {@link Validator}).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = {"Specialize every public method of a class path on random known/unknown splits of random "
        + "arguments, run the residual code and the original on equal inputs, and compare results, exception types "
        + "and final argument states.",
        "Class path entries: directories, jars, and jrt:/MODULE for a module of the running JDK.",
        "Exit code 1 when a residual method diverged, the specializer or the harness crashed, or the run ended "
            + "early (the report, partial, says why); 2 for a usage error only (bad option, unreadable class path)."})
final class ValidateCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = "--class-path", required = true, paramLabel = "CP",
      description = "Directories, jars and jrt:/MODULE, separated by the platform's path separator.")
  private String classPath;

  @Option(names = "--include", paramLabel = "REGEX", defaultValue = "",
      description = "Validate only classes whose binary name contains a match (default: all).")
  private String include;

  @Option(names = "--trials", paramLabel = "N", defaultValue = "10",
      description = "Random splits and values per method (default: ${DEFAULT-VALUE}).")
  private int trials;

  @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
      description = "Seed of every random draw; the same seed repeats the run (default: ${DEFAULT-VALUE}).")
  private long seed;

  @Option(names = "--time-limit", paramLabel = "MS", defaultValue = "2000",
      description = "Milliseconds one run of library code may take; a slower original is skipped "
          + "(default: ${DEFAULT-VALUE}).")
  private long timeLimit;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
  private Path json;

  @Option(names = "--jdk-inline", paramLabel = "PACKAGE", split = ",",
      description = "A JDK package whose methods may be specialized into (java.util, or java.util.* with its "
          + "subpackages); by default JDK methods are only called (pure ones fold on known arguments).")
  private List<String> jdkInline = new ArrayList<>();

  @Option(names = "--heap-budget", paramLabel = "SHARE", defaultValue = "0.85",
      description = "Share of the maximum heap that may stay in use after a collection; when the heap is fuller "
          + "between two classes, the run ends there with a partial report (default: ${DEFAULT-VALUE}).")
  private double heapBudget;

  @Option(names = "--progress", description = "Print each class's name to standard error as it is validated.")
  private boolean progress;

  @Override
  public Integer call() throws IOException {
    final Pattern pattern;
    try {
      pattern = Pattern.compile(include);
    } catch (PatternSyntaxException e) {
      throw new UsageException("--include is not a regular expression: " + e.getMessage());
    }
    final Validator configured;
    try {
      configured = Validator.of(ClassPathScanner.split(classPath)).include(pattern).trials(trials).seed(seed)
          .timeLimit(Duration.ofMillis(timeLimit)).heapBudget(heapBudget)
          .jdkPolicy(org.quasi.specializer.JdkPolicy.specializeInto(jdkInline.toArray(new String[0])));
    } catch (IllegalArgumentException e) {
      // Only the options are checked here: an IllegalArgumentException from the run would be a fault of the
      // harness (exit 3), never a usage error.
      throw new UsageException(e.getMessage());
    }
    Validator v = configured;
    if (progress) {
      final PrintWriter err = spec.commandLine().getErr();
      v = v.progress(name -> {
        err.println(name);
        err.flush();
      });
    }
    final ValidationReport report;
    QuasiCommand.RAN_LIBRARY_CODE.set(true);
    try {
      report = v.run();
    } catch (ClassPathException e) {
      throw new UsageException(e.getMessage());
    }
    final PrintWriter out = spec.commandLine().getOut();
    out.print(report.text());
    out.flush();
    if (json != null) {
      Files.writeString(json, report.json(), StandardCharsets.UTF_8);
    }
    if (!report.complete()) {
      spec.commandLine().getErr().println("quasi validate: incomplete: " + report.endedEarly());
      spec.commandLine().getErr().flush();
    }
    return report.divergences().isEmpty() && report.crashes().isEmpty() && report.complete()
        ? QuasiCommand.EXIT_OK : QuasiCommand.EXIT_FINDINGS;
  }
}
