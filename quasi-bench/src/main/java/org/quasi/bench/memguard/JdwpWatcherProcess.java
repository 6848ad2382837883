package org.quasi.bench.memguard;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link JdwpWatcher} in a child process against this JVM's JDWP agent, from a benchmark fork launched with
 * {@link #AGENT} and {@link #EXPORTS}, and stops it.
 *
 * <p>The fork's agent is a server on {@code 127.0.0.1} with a port the system picks ({@code address=127.0.0.1:0}); the
 * agent publishes that port as the agent property {@code sun.jdwp.listenerAddress}, which only
 * {@code jdk.internal.vm.VMSupport} reads — hence the {@code --add-exports} and the reflective call.
 */
final class JdwpWatcherProcess implements AutoCloseable {

  /** A JDWP server on loopback, not holding the JVM at start, silent. */
  static final String AGENT = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,quiet=y,address=127.0.0.1:0";

  /** Lets {@link #listenerPort()} read the agent properties. */
  static final String EXPORTS = "--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED";

  private final Process process;

  private JdwpWatcherProcess(final Process process) {
    this.process = process;
  }

  /** Starts the watcher and returns once its requests are set. */
  static JdwpWatcherProcess start() throws IOException, InterruptedException {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final Process process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        JdwpWatcher.class.getName(), Integer.toString(listenerPort())))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    final String line = out.readLine();
    if (!"ready".equals(line)) {
      process.destroyForcibly();
      throw new IllegalStateException("the JDWP watcher did not start: it said " + line);
    }
    return new JdwpWatcherProcess(process);
  }

  /** Whether this JVM runs a JDWP agent (the benchmark's fork was given {@link #AGENT}). */
  static boolean agentLoaded() {
    return agentProperties().getProperty("sun.jdwp.listenerAddress") != null;
  }

  private static int listenerPort() {
    final String address = agentProperties().getProperty("sun.jdwp.listenerAddress");
    if (address == null) {
      throw new IllegalStateException("this JVM runs no JDWP server: fork it with " + AGENT);
    }
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  private static Properties agentProperties() {
    try {
      return (Properties) Class.forName("jdk.internal.vm.VMSupport").getMethod("getAgentProperties").invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException("cannot read the JDWP agent's address: fork with " + EXPORTS, e);
    }
  }

  /** Stops the watcher: it detaches, the agent clears its requests, and the JVM runs on without a debugger. */
  @Override
  public void close() throws InterruptedException {
    try {
      process.getOutputStream().close(); // the watcher detaches at the end of its input
    } catch (IOException e) {
      process.destroy(); // the pipe is already gone: stop it the hard way
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
