package org.quasi.cli.tour;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.bench.BenchGroup;
import org.quasi.bench.BenchGroups;
import org.quasi.bench.BenchRow;
import org.quasi.bench.BenchRun;
import org.quasi.bench.signals.SignalsTable;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;

/**
 * Chapter 4 of the tour: the paper's experiment. Tables 3 to 5 measured beside the paper's figures (a glance of the
 * signals group), then the case's story ({@code org.quasi.cases.signals.SignalsStory}) on a kernel model whose classes
 * quasi-agent weaves with the quasi-invariant lines of the case's spec, in a class loader of their own, as the agent
 * would at load time.
 */
public final class SignalsChapter {

  private static final String PACKAGE = "org.quasi.cases.signals.";
  private static final String SPEC = "org/quasi/cases/signals/signals.spec";

  private final PrintWriter out;
  private final boolean measure;

  /** A chapter printing to {@code out}; {@code measure} runs a glance of Tables 3 to 5 with JMH. */
  public SignalsChapter(final PrintWriter out, final boolean measure) {
    this.out = out;
    this.measure = measure;
  }

  /** Tells the chapter. */
  public void run() throws RunnerException, ReflectiveOperationException, IOException, SpecException {
    out.println("4. The paper's experiment: signals");
    out.println("----------------------------------");
    out.println("The paper specialized Linux 2.0's kill system call on the sender, the target and the signal: the");
    out.println("search of the task list and the permission tests fold away. Quasi does the same on a Java port of");
    out.println("that kill path, from a declarative spec alone. Three kernels: generic (the port), hand (the paper's");
    out.println("hand-written cache and folded kill, in Java) and quasi (the port, plus the spec).");
    if (measure) {
      out.println();
      out.println("Tables 3 to 5, measured with JMH beside the paper's figures (a glance: one fork, 2 x 0.5 s warm-up,");
      out.println("3 x 0.5 s measured per row; ./quasi bench signals is the full run, with Table 6). Measuring (about");
      out.println("30 s)...");
      out.flush();
      final BenchGroup group = BenchGroups.named("signals").orElseThrow();
      final List<BenchRow> rows = new BenchRun(group, BenchRun.Iterations.GLANCE, null,
          List.of("SignalLatencyBenchmark"), VerboseMode.SILENT).run();
      out.println(SignalsTable.formatMeasured(rows));
    }
    out.println();
    final WeavingClassLoader loader = new WeavingClassLoader(SignalsChapter.class.getClassLoader(),
        quasiInvariantLines(), name -> name.startsWith(PACKAGE));
    final Class<?> story = loader.loadClass(PACKAGE + "SignalsStory");
    final Consumer<String> print = out::println;
    try {
      story.getMethod("tell", Consumer.class).invoke(null, print);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r; // a kernel answered otherwise than the story says: the tour fails, saying which
      }
      throw e;
    }
  }

  /**
   * The quasi-invariants of the case's spec, without its entry line: the Quasi kernel builds its entry point from
   * that line itself (see {@code QuasiKernel}), and woven into {@code Kernel.sysKill} it would run every kernel's kill,
   * the generic one's too, through an entry point.
   */
  private static GuardSpec quasiInvariantLines() throws IOException, SpecException {
    try (InputStream in = SignalsChapter.class.getClassLoader().getResourceAsStream(SPEC)) {
      if (in == null) {
        throw new IOException(SPEC + " is not on the class path");
      }
      final QuasiSpec spec = SpecParser.parse(SPEC, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      final Set<String> declared = new LinkedHashSet<>();
      for (final SpecEntry e : spec.quasiInvariants()) {
        declared.add(e.owner().replace('.', '/') + "." + e.name());
      }
      return new GuardSpec(declared);
    }
  }
}
