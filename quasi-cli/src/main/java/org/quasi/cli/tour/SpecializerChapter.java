package org.quasi.cli.tour;

import java.io.PrintWriter;
import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.function.IntPredicate;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.quasi.bench.BenchGroup;
import org.quasi.bench.BenchGroups;
import org.quasi.bench.BenchRow;
import org.quasi.bench.BenchRun;
import org.quasi.bench.BenchTable;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.Specializer;

/**
 * Chapter 2 of the tour: the specializer writes the specialized port filter from the generic code, records what it
 * relied on, and an interpreter specialized on its program runs as fast as the program written by hand.
 */
public final class SpecializerChapter {

  /** Where the chapter is told. */
  private final PrintWriter out;

  /** Whether to run the JMH measurement. */
  private final boolean measure;

  /** A chapter printing to {@code out}; {@code measure} runs a quick JMH measurement of the interpreter. */
  public SpecializerChapter(final PrintWriter out, final boolean measure) {
    this.out = out;
    this.measure = measure;
  }

  /** The firewall's configuration again: fields read on every packet, changed once in a while. */
  public static final class Filter {
    int low;
    int high;
    int blocked;

    Filter(final int low, final int high, final int blocked) {
      this.low = low;
      this.high = high;
      this.blocked = blocked;
    }

    /** The generic filter, as the program has it. */
    static boolean accept(final Filter cfg, final int port) {
      return port >= cfg.low && port <= cfg.high && port != cfg.blocked;
    }
  }

  /** Tells the chapter. */
  public void run() throws RunnerException, SpecializationDeclined {
    out.println("2. Specializing");
    out.println("---------------");
    final Filter cfg = new Filter(1024, 65535, 8080);
    out.println("The specializer takes the generic filter's bytecode, the live configuration object, and the fields");
    out.println("declared quasi-invariant, and writes the residual code itself:");
    out.println("    Specializer.of(lookup).method(Filter.class, \"accept\", Filter.class, int.class)");
    out.println("        .known(0, cfg).quasiInvariant(Filter.class, \"low\", \"high\", \"blocked\")");
    out.println("        .as(IntPredicate.class).specialize()");
    final Specialization<IntPredicate> s = Specializer.of(MethodHandles.lookup())
        .method(Filter.class, "accept", Filter.class, int.class)
        .known(0, cfg)
        .quasiInvariant(Filter.class, "low", "high", "blocked")
        .as(IntPredicate.class)
        .specialize();
    out.println();
    out.println("Residual bytecode (no field read left, the configuration became constants):");
    for (final String line : s.dump().split("\n")) {
      out.println("  " + line);
    }
    out.println("Summary: " + s.summary());
    out.println("It relied on these heap facts; the guards watch exactly these (a later chapter):");
    for (final Dependency d : s.dependencies()) {
      out.println("  " + d);
    }
    final int[] ports = {22, 1024, 8080, 8443, 70000};
    boolean same = true;
    for (final int p : ports) {
      same &= s.function().test(p) == Filter.accept(cfg, p);
    }
    out.println("Same answers as the generic filter on ports 22, 1024, 8080, 8443, 70000: " + same);
    out.println();
    if (!measure) {
      out.println("(Measurements skipped; run ./quasi bench specializer for the full table.)");
      return;
    }
    out.println("A bigger case: an AST interpreter running a known 20-node program on unknown inputs. Specialized on");
    out.println("the program, the tree walk disappears. Measured with JMH (quick run; ./quasi bench specializer has");
    out.println("the full table and the time one specialization takes). Measuring (about 30 s)...");
    out.flush();
    final BenchGroup group = BenchGroups.named("specializer").orElseThrow();
    final List<BenchRow> rows = new BenchRun(group, true, null, List.of(".*InterpreterBenchmark\\..*"),
        VerboseMode.SILENT).run();
    out.println();
    out.print(BenchTable.format(new BenchGroup(group.name(), group.description(), group.includes(),
        group.baseline(), List.of()), rows));
  }
}
