package org.quasi.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.quasi.agent.AheadOfTimeWeaver;
import org.quasi.agent.ClassPathException;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeaveOptions;
import org.quasi.typeguard.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./quasi weave}: weaves guarded writes into a class path ahead of time (module quasi-agent) and writes the
 * result to a directory. Exit status: 0 woven; 2 usage or input error, including spec entries whose class or field is
 * not on the class path (the output directory is written nonetheless); 3 when the weaver fails on a class it could
 * read (a woven method too large for the class-file format, say), named in the message.
 */
@Command(name = "weave", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Weave guarded writes into every class of a class path: a QUID field in classes declaring "
        + "quasi-invariant instance fields, a guard flag per static one, and a guarded write at every putfield/"
        + "putstatic to them. Run the result with quasi-runtime on the class path.",
        "Adjacent writes to one object share one test; writes to fields of JDK classes use the side table; "
            + "Field.set* calls and writes through handles and Unsafe offsets made in woven code are rerouted; "
            + "other calls that may write a field (invokeWithArguments(List), address-only Unsafe stores, native "
            + "methods) are listed as not rewritten.",
        "The same weaving happens at load time with: java -javaagent:quasi-agent.jar=[strict,]SPEC ...",
        "Exit status: 0 woven, 2 usage or input error (unreadable class path, spec, unresolved spec entries), "
            + "3 the weaver failed on a class (named)."})
final class WeaveCommand implements Callable<Integer> {

  @Spec
  private CommandSpec spec;

  @Option(names = {"--class-path", "-cp"}, paramLabel = "CP", split = "${sys:path.separator}", required = true,
      description = "Directories and jars to weave, separated by '${sys:path.separator}' (repeatable).")
  private List<Path> classPath = new ArrayList<>();

  @Option(names = "--spec", paramLabel = "FILE",
      description = "A spec file of quasi-invariants (docs/SPEC.md); fields annotated @QuasiInvariant always count.")
  private Path specFile;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "The directory to write classes to.")
  private Path out;

  @Option(names = "--strict", description = "Strict guarded writes: a write that found no QUID stores, fences "
      + "(StoreLoad) and tests again, closing the race with a QUID installed meanwhile (Guards' @implNote).")
  private boolean strict;

  @Override
  public Integer call() {
    final PrintWriter stdout = spec.commandLine().getOut();
    final GuardSpec guards;
    try {
      guards = specFile == null ? GuardSpec.annotationsOnly() : GuardSpec.read(specFile);
    } catch (SpecException e) {
      throw new UsageException(e.getMessage());
    } catch (IOException e) {
      throw new UsageException("cannot read spec file " + specFile + " (" + e.getMessage() + ")");
    }
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a file, not a directory");
    }
    final AheadOfTimeWeaver.Report report;
    try {
      report = AheadOfTimeWeaver.weave(classPath, guards, WeaveOptions.defaults().withStrict(strict), out);
    } catch (ClassPathException e) {
      // The only exception the weaver throws for its input; a class it read but failed to weave, or a write that
      // failed, is internal (exit 3).
      throw new UsageException(e.getMessage());
    }
    stdout.println("quasi weave: " + report.classesRead() + " classes read, " + report.classesWoven() + " woven, "
        + report.guardedWrites() + " guarded writes (" + report.batchedWrites() + " batched, "
        + report.sideTableWrites() + " through the side table), " + report.reroutedCalls()
        + " reflective or handle writes rerouted" + (strict ? ", strict" : "") + "; written to " + out);
    for (final String holder : report.quidHolders()) {
      stdout.println("  QUID in " + holder);
    }
    for (final String site : report.unrewritableSites()) {
      stdout.println("  not rewritten (bypasses the guard): " + site);
    }
    for (final String entry : report.entryPoints()) {
      stdout.println("  entry point " + entry + " (run with quasi-versions on the class path)");
    }
    if (!report.entryProblems().isEmpty()) {
      throw new UsageException(String.join("\n", report.entryProblems()));
    }
    if (!report.unresolvedSpecEntries().isEmpty()) {
      throw new UsageException("the spec names fields that are not on the class path: "
          + String.join(", ", report.unresolvedSpecEntries()));
    }
    return QuasiCommand.EXIT_OK;
  }
}
