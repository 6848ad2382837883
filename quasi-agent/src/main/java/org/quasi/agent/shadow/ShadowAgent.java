package org.quasi.agent.shadow;

import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import org.quasi.agent.shadow.internal.ReportFiles;
import org.quasi.agent.shadow.internal.ShadowRun;
import org.quasi.agent.shadow.internal.ShadowTransformer;

/**
 * Shadow mode: {@code java -javaagent:quasi-agent.jar=shadow:OPTIONS ...} (see {@link ShadowOptions}; {@code ./quasi
 * shadow} writes the argument). Every method of the program that the agent proves free of heap writes gets a probe at
 * its entry; sampled invocations are specialized on a random split of their actual arguments and the residual code's
 * outcome is compared with the original's. At exit the {@link ShadowReport} goes to the report files (or the summary
 * to standard error); the files also hold the report so far while the program runs ({@link ReportFiles}), so that a
 * program that ends without running its shutdown hooks leaves what was seen.
 *
 * <p>The program's behaviour is unchanged: a shadowed method writes no heap, so running it again (and its residual
 * code) on the same arguments changes nothing the program sees; the shadow's runs happen on its own daemon thread
 * while the calling thread waits; nothing of the shadow throws into the program. Its output is unchanged but for
 * lines on standard error naming classes the probe could not be put into, and the summary when no summary file is
 * given. What the program does see is time: each sampled invocation waits for a specialization and three runs.
 *
 * @since 0.1
 */
public final class ShadowAgent {
  private ShadowAgent() {
  }

  /**
   * Starts shadow mode in this JVM: installs the probe transformer, writes a first report (the sign that the agent
   * started), keeps the report files current after sampled invocations, and writes the last report at exit.
   */
  public static void install(final ShadowOptions options, final Instrumentation instrumentation) {
    final ShadowRun run = new ShadowRun(options);
    final PrintStream err = System.err;
    final ReportFiles files = new ReportFiles(options, err);
    files.progress(() -> run.report(false));
    run.afterTrial(() -> files.progress(() -> run.report(false)));
    ShadowHook.install(run);
    instrumentation.addTransformer(new ShadowTransformer(run, err));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      final ShadowReport report = run.report(true);
      run.close();
      files.last(report);
    }, "quasi-shadow-report"));
  }
}
