package org.quasi.memguard;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.quasi.memguard.jdi.JdwpMemGuard;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;

/**
 * Runs a program under MemGuard in a child JVM: what {@code ./quasi memguard} does. The child is started with the
 * MemGuard agent ({@link MemGuardAgent}) inserted right after the {@code java} executable, its standard streams are
 * the caller's, and when it exits the log it wrote is read back.
 *
 * <pre>{@code
 * MemGuardLauncher.Outcome o = MemGuardLauncher.builder(List.of("java", "-cp", "app", "demo.Main"))
 *     .spec(Path.of("app.spec")).log(Path.of("memguard.log")).verifyEvery(1).run();
 * o.log().count();   // unguarded writes found
 * }</pre>
 * ({@code MemguardCommandTest} in quasi-cli runs this through the command.)
 *
 * <p>Immutable builder: each option method returns a new instance.
 *
 * @since 0.1
 */
public final class MemGuardLauncher {

  /** System property naming the agent jar explicitly (otherwise found beside quasi-memguard's classes). */
  public static final String AGENT_PROPERTY = "quasi.memguard.agent";
  /** File name of the shaded agent jar quasi-memguard's build writes to its {@code target} directory. */
  public static final String AGENT_JAR = "quasi-memguard-agent.jar";

  private final List<String> command;
  private final Path spec;
  private final Path log;
  private final int verifyEvery;
  private final boolean jdwp;

  private MemGuardLauncher(final List<String> command, final Path spec, final Path log, final int verifyEvery,
      final boolean jdwp) {
    this.command = List.copyOf(command);
    this.spec = spec;
    this.log = log;
    this.verifyEvery = verifyEvery;
    this.jdwp = jdwp;
  }

  /**
   * A launcher for {@code command}, a {@code java} command line ({@code java} or a path ending in {@code java}, then
   * its arguments).
   *
   * @throws IllegalArgumentException if the command is empty or does not start with a java executable
   */
  public static MemGuardLauncher builder(final List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("no program to run: expected -- java [options] MAIN|-jar JAR [args]");
    }
    final String exe = Path.of(command.get(0)).getFileName().toString();
    if (!exe.equals("java") && !exe.equals("java.exe")) {
      throw new IllegalArgumentException("'" + command.get(0)
          + "' is not a java executable: MemGuard runs JVM programs, as -- java [options] MAIN|-jar JAR [args]");
    }
    return new MemGuardLauncher(command, null, null, 0, false);
  }

  /** With a spec file: its fields are guarded (woven), protected on every instance, and their writes trapped. */
  public MemGuardLauncher spec(final Path file) {
    return new MemGuardLauncher(command, Objects.requireNonNull(file, "spec"), log, verifyEvery, jdwp);
  }

  /** With the log written to {@code file} (otherwise to a temporary file, deleted after reading). */
  public MemGuardLauncher log(final Path file) {
    return new MemGuardLauncher(command, spec, Objects.requireNonNull(file, "log"), verifyEvery, jdwp);
  }

  /** With the verifier checking every {@code n}-th call of specialized versions ({@code 0}: off). */
  public MemGuardLauncher verifyEvery(final int n) {
    if (n < 0) {
      throw new IllegalArgumentException("--verify-every " + n + ": expected 0 (off) or a positive count");
    }
    return new MemGuardLauncher(command, spec, log, n, jdwp);
  }

  /**
   * With (or without) the JDWP watch as well ({@code --jdwp}, {@link JdwpMemGuard}): the child also runs under a
   * loopback debugger connection that watches the protected fields, which adds what the agent cannot see (JNI
   * {@code Set<Type>Field}, classes no agent transforms); its writes join the agent's in the outcome's log.
   *
   * @throws IllegalArgumentException if the command already loads a JDWP agent
   */
  public MemGuardLauncher jdwp(final boolean on) {
    if (on) {
      JdwpMemGuard.command(command); // checks the command line now, before anything runs
    }
    return new MemGuardLauncher(command, spec, log, verifyEvery, on);
  }

  /**
   * What a run gave: the writes the child's agent logged, the child's exit status, and where the log is
   * ({@code null} when it was a temporary file).
   */
  public record Outcome(MemGuardLog log, int programStatus, Path logFile) {
  }

  /**
   * The child's command line: {@code command} with the agent option after the executable.
   *
   * @throws LaunchException when the spec's or the log's path contains a comma
   */
  public List<String> commandLine(final Path agentJar, final Path logFile) {
    final StringBuilder option = new StringBuilder("-javaagent:").append(agentJar).append("=memguard");
    if (spec != null) {
      option.append(",spec=").append(noComma(spec.toAbsolutePath(), "spec"));
    }
    option.append(",log=").append(noComma(logFile.toAbsolutePath(), "log"));
    if (verifyEvery > 0) {
      option.append(",verify-every=").append(verifyEvery);
    }
    final List<String> line = new ArrayList<>(command.size() + 1);
    line.add(command.get(0));
    line.add(option.toString());
    line.addAll(command.subList(1, command.size()));
    return line;
  }

  /**
   * Runs the program and reads its log.
   *
   * @throws LaunchException when the java launcher is not an executable file (on the {@code PATH} for a bare name),
   *     the spec file does not exist (or, with {@link #jdwp}, is malformed), the log's directory does not exist, or
   *     a path contains a comma: the caller's input, checked before anything runs
   * @throws IOException if the agent jar is missing, the child cannot be started, or exits without writing a log (the
   *     agent did not start: its message is on the child's standard error), or the log cannot be read
   * @throws IllegalArgumentException if the log the child wrote cannot be parsed ({@link MemGuardLog#parse}): a
   *     fault of MemGuard, not of the caller
   */
  public Outcome run() throws IOException, InterruptedException {
    if (!org.quasi.agent.Executables.isExecutable(command.get(0))) {
      throw new LaunchException(Path.of(command.get(0)).getParent() == null
          ? "no executable '" + command.get(0) + "' on the PATH" : "no java launcher at " + command.get(0), null);
    }
    if (spec != null && !Files.isRegularFile(spec)) {
      throw new LaunchException("the spec file " + spec + " does not exist", null);
    }
    if (log != null && !Files.isDirectory(log.toAbsolutePath().getParent())) {
      throw new LaunchException("the log's directory " + log.toAbsolutePath().getParent() + " does not exist", null);
    }
    final Path agent = agentJar();
    final Path logFile = log != null ? log : Files.createTempFile("memguard", ".log");
    Files.deleteIfExists(logFile);
    try {
      final MemGuardLog watched = new MemGuardLog();
      final int status;
      if (jdwp) {
        status = watchedRun(commandLine(agent, logFile), watched);
      } else {
        status = new ProcessBuilder(commandLine(agent, logFile)).inheritIO().start().waitFor();
      }
      if (!Files.exists(logFile)) {
        throw new IOException("the program's JVM exited with status " + status
            + " without writing a MemGuard log: the agent did not start or the JVM was killed (see its messages above)");
      }
      final MemGuardLog read = MemGuardLog.parse(Files.readString(logFile, StandardCharsets.UTF_8),
          logFile.toString());
      if (jdwp) {
        watched.writes().forEach(read::add);
        if (log != null) {
          Files.writeString(log, read.text(), StandardCharsets.UTF_8); // the file holds both mechanisms' writes
        }
      }
      return new Outcome(read, status, log);
    } finally {
      if (log == null) {
        Files.deleteIfExists(logFile);
      }
    }
  }

  /** Runs the child under the JDWP watch too; its writes go to {@code watched}. */
  private int watchedRun(final List<String> line, final MemGuardLog watched) throws IOException, InterruptedException {
    JdwpMemGuard run = JdwpMemGuard.command(line);
    if (spec != null) {
      try {
        run = run.spec(SpecParser.parse(spec));
      } catch (SpecException e) {
        throw new LaunchException(e.getMessage(), e);
      }
    }
    return run.run(watched);
  }

  /**
   * The agent jar: the {@value #AGENT_PROPERTY} system property; else {@value #AGENT_JAR} beside the jar or
   * classes directory quasi-memguard is loaded from (its {@code target} directory); else, when running from
   * {@code quasi-cli/target/quasi.jar} in a Quasi checkout, {@code quasi-memguard/target/} {@value #AGENT_JAR}.
   *
   * @throws IOException naming the places looked at when there is none
   */
  public static Path agentJar() throws IOException {
    final String property = System.getProperty(AGENT_PROPERTY);
    if (property != null) {
      final Path p = Path.of(property);
      if (!Files.isRegularFile(p)) {
        throw new IOException("-D" + AGENT_PROPERTY + "=" + property + " is not a file");
      }
      return p;
    }
    final Path source;
    try {
      source = Path.of(MemGuardLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      throw new IOException("cannot tell where quasi-memguard is loaded from: " + e);
    }
    final Path dir = source.getParent();
    final List<Path> candidates = new ArrayList<>();
    candidates.add(dir.resolve(AGENT_JAR));
    if (dir.getParent() != null && dir.getParent().getParent() != null) {
      candidates.add(dir.getParent().getParent().resolve("quasi-memguard").resolve("target").resolve(AGENT_JAR));
    }
    for (final Path c : candidates) {
      if (Files.isRegularFile(c)) {
        return c;
      }
    }
    throw new IOException("the MemGuard agent jar is missing; looked at " + candidates
        + " (build it with: mvn -pl quasi-memguard -am package, or set -D" + AGENT_PROPERTY + "=JAR)");
  }

  private static Path noComma(final Path path, final String what) {
    if (path.toString().indexOf(',') >= 0) {
      throw new LaunchException("the " + what + " path " + path
          + " contains a comma, which the agent's options cannot carry: use another path", null);
    }
    return path;
  }
}
