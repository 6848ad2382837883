package org.quasi.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.quasi.bench.BenchGroup;
import org.quasi.bench.BenchGroups;
import org.quasi.bench.BenchRow;
import org.quasi.bench.BenchRun;
import org.quasi.bench.BenchTable;
import org.quasi.bench.NoMatchingBenchmarkException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./quasi bench NAME [--quick] [--json FILE]}: runs one benchmark group through JMH and prints its table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = {"Run one named group of JMH benchmarks in-process and print each benchmark's score and its ratio "
        + "to the group's baseline, then the targets the group's issue sets.",
        "Benchmarks fork their own JVM; a full group takes a few minutes, --quick about two."})
final class BenchCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The group to run (see --list).")
  private String name;

  @Option(names = "--list", description = "Name the groups and exit.")
  private boolean list;

  @Option(names = "--quick", description = "Three one-second warm-up and measurement iterations per benchmark.")
  private boolean quick;

  @Option(names = "--json", paramLabel = "FILE", description = "Also write JMH's JSON result file.")
  private Path json;

  @Option(names = "--only", paramLabel = "REGEX",
      description = "Run only the group's benchmarks matching this pattern (repeatable).")
  private List<String> only = new ArrayList<>();

  @Option(names = "--verbose", description = "Show JMH's own progress output.")
  private boolean verbose;

  @Override
  public Integer call() throws RunnerException {
    final PrintWriter out = spec.commandLine().getOut();
    if (list) {
      BenchGroups.all().forEach(g -> out.printf("%-12s %s%n", g.name(), g.description()));
      return QuasiCommand.EXIT_OK;
    }
    if (name == null) {
      throw new UsageException("name a benchmark group, one of: " + groupNames() + " (or --list)");
    }
    final BenchGroup group = BenchGroups.named(name).orElseThrow(() ->
        new UsageException("no benchmark group '" + name + "'; groups: " + groupNames()));
    if (json != null && !Files.isDirectory(json.toAbsolutePath().getParent())) {
      // JMH writes the file only after the last benchmark: say it now, not after minutes of measuring.
      throw new UsageException("--json " + json + ": the directory " + json.toAbsolutePath().getParent()
          + " does not exist");
    }
    final BenchRun run;
    try {
      run = new BenchRun(group, quick, json, only, verbose ? VerboseMode.NORMAL : VerboseMode.SILENT);
    } catch (PatternSyntaxException e) {
      throw new UsageException("--only is not a regular expression: " + e.getMessage());
    }
    try {
      run.benchmarks();
    } catch (NoMatchingBenchmarkException e) {
      // Only the --only patterns are the user's here; anything else (a build without the group's benchmarks, a JMH
      // failure) is internal, exit 3.
      throw new UsageException(e.getMessage());
    }
    out.printf("Running group '%s'%s: %s%n", group.name(), quick ? " (quick)" : "", group.description());
    out.flush();
    final List<BenchRow> rows = run.run();
    out.println();
    out.print(BenchTable.format(group, rows));
    group.extraTable(rows).ifPresent(table -> {
      out.println();
      out.println(table);
    });
    if (json != null) {
      out.println("JMH JSON results: " + json.toAbsolutePath());
    }
    return QuasiCommand.EXIT_OK;
  }

  private static String groupNames() {
    return BenchGroups.all().stream().map(BenchGroup::name).collect(Collectors.joining(", "));
  }
}
