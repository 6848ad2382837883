package org.quasi.agent.shadow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quasi.agent.shadow.internal.ReportFiles;

/**
 * Runs a {@code java} command under shadow mode in a child JVM ({@code ./quasi shadow} delegates here): inserts
 * {@code -javaagent:AGENT=shadow:...} after the launcher, lets the child share this process's standard streams, waits,
 * and reads back the report the agent wrote at exit. Optionally runs the same command first without the agent, its
 * output discarded, to measure the slowdown.
 *
 * @since 0.1
 */
public final class ShadowLauncher {
  private static final Pattern DIVERGED = Pattern.compile("\"diverged\": (\\d+)");
  private static final Pattern CRASHED = Pattern.compile("\"crashed\": (\\d+)");
  /** A report the agent wrote while the program ran, which the program's exit did not replace (its first field). */
  private static final Pattern INCOMPLETE = Pattern.compile("\\A\\{\\s*\"complete\": false");

  /**
   * The outcome of a shadowed run.
   *
   * @param exitStatus   the program's exit status under shadow mode
   * @param summary      the agent's text summary
   * @param diverged     invocations whose residual code diverged
   * @param crashed      failures of the specializer or the shadow
   * @param shadowedNanos wall time of the run with the agent (JVM start to exit, as this process saw it)
   * @param plainNanos   wall time of the run without the agent, or -1 when not measured
   * @param plainStatus  the exit status of the run without the agent, or -1 when not measured
   * @param complete     whether the report is the one written at the program's exit; false when the program ended
   *                     without running its shutdown hooks, and the report is the last one written while it ran
   */
  public record Outcome(int exitStatus, String summary, int diverged, int crashed, long shadowedNanos,
      long plainNanos, int plainStatus, boolean complete) {
  }

  private ShadowLauncher() {
  }

  /**
   * Runs {@code command} (a {@code java} launcher and its arguments) with the agent at {@code agentJar} in shadow mode.
   * {@code options.report()} names the JSON report (a temporary file when null, deleted after); the summary is read
   * from a temporary file.
   *
   * @throws LaunchException when the command does not start with a {@code java} launcher, names one that is not
   *     an executable file (on the {@code PATH} for a bare name), {@code agentJar} is not a jar whose manifest names
   *     a {@code Premain-Class}, or {@code options.report()}'s directory does not exist: the caller's input, checked
   *     before anything runs
   * @throws NoReportException when the child exits and the agent wrote no report: the agent did not start
   * @throws IOException when the child cannot be started, or its report cannot be read
   */
  public static Outcome run(final Path agentJar, final ShadowOptions options, final List<String> command,
      final boolean measureSlowdown) throws IOException, InterruptedException {
    if (command.isEmpty() || !isJavaLauncher(command.get(0))) {
      throw new LaunchException("shadow runs a java command: the first word after -- must be java (or a "
          + "path to it), not " + (command.isEmpty() ? "nothing" : "'" + command.get(0) + "'"));
    }
    if (!org.quasi.agent.Executables.isExecutable(command.get(0))) {
      throw new LaunchException(Path.of(command.get(0)).getParent() == null
          ? "no executable '" + command.get(0) + "' on the PATH" : "no java launcher at " + command.get(0));
    }
    if (!hasPremainClass(agentJar)) {
      throw new LaunchException(agentJar + " is not an agent jar: its manifest names no Premain-Class");
    }
    final Path reportDir = options.report() == null ? null : options.report().toAbsolutePath().getParent();
    if (reportDir != null && !Files.isDirectory(reportDir)) {
      throw new LaunchException("the report's directory " + reportDir + " does not exist");
    }
    long plainNanos = -1;
    int plainStatus = -1;
    if (measureSlowdown) {
      final long start = System.nanoTime();
      plainStatus = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.INHERIT).start()
          .waitFor();
      plainNanos = System.nanoTime() - start;
    }
    final Path summary = Files.createTempFile("quasi-shadow", ".txt");
    final Path report = options.report() != null ? options.report() : Files.createTempFile("quasi-shadow", ".json");
    try {
      Files.deleteIfExists(summary);
      Files.deleteIfExists(report);
      final ShadowOptions withFiles = new ShadowOptions(options.sample(), options.seed(), options.include(),
          options.maxPerMethod(), report.toAbsolutePath(), summary.toAbsolutePath());
      final List<String> shadowed = new ArrayList<>(command.size() + 1);
      shadowed.add(command.get(0));
      shadowed.add("-javaagent:" + agentJar.toAbsolutePath() + "=" + withFiles.agentArgument());
      shadowed.addAll(command.subList(1, command.size()));
      final long start = System.nanoTime();
      final int status = new ProcessBuilder(shadowed).inheritIO().start().waitFor();
      final long shadowedNanos = System.nanoTime() - start;
      if (!Files.exists(summary) || !Files.exists(report)) {
        throw new NoReportException(status, "the program " + ended(status) + " and shadow mode wrote no report:"
            + " the agent did not start (see the lines above)");
      }
      final String json = Files.readString(report, StandardCharsets.UTF_8);
      return new Outcome(status, Files.readString(summary, StandardCharsets.UTF_8), count(DIVERGED, json),
          count(CRASHED, json), shadowedNanos, plainNanos, plainStatus, !INCOMPLETE.matcher(json).find());
    } finally {
      Files.deleteIfExists(summary);
      Files.deleteIfExists(ReportFiles.pending(summary));
      Files.deleteIfExists(ReportFiles.pending(report));
      if (options.report() == null) {
        Files.deleteIfExists(report);
      }
    }
  }

  /**
   * How a child process with exit status {@code status} ended, for a message: "exited with status N", or, for the
   * 128 + N a process killed by signal N reports on Unix, "was killed by signal N" and what usually sends it.
   */
  public static String ended(final int status) {
    if (status > 128 && status < 128 + 32 && !System.getProperty("os.name", "").startsWith("Windows")) {
      final int signal = status - 128;
      return "was killed by signal " + signal + switch (signal) {
        case 9 -> " (SIGKILL: the system's out-of-memory killer, or kill -9)";
        case 6 -> " (SIGABRT: a JVM crash, which writes an hs_err_pid file)";
        case 11 -> " (SIGSEGV: a crash in native code)";
        default -> "";
      };
    }
    return "exited with status " + status;
  }

  /** Whether {@code word} names a java launcher: {@code java}, or a path whose last element is java(.exe). */
  static boolean isJavaLauncher(final String word) {
    final String last = Path.of(word).getFileName() == null ? "" : Path.of(word).getFileName().toString();
    return last.equals("java") || last.equals("java.exe");
  }

  private static boolean hasPremainClass(final Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      final Manifest manifest = file.getManifest();
      return manifest != null && manifest.getMainAttributes().getValue("Premain-Class") != null;
    } catch (IOException e) {
      return false;
    }
  }

  private static int count(final Pattern p, final String json) throws IOException {
    final Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IOException("the shadow report has no " + p.pattern() + " field");
    }
    return Integer.parseInt(m.group(1));
  }
}
