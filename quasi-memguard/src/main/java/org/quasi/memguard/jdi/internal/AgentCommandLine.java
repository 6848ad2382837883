package org.quasi.memguard.jdi.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The program's command line with a JDWP agent that connects back to MemGuard's loopback listener.
 *
 * <p>The agent is a client ({@code server=n}): MemGuard listens on {@code 127.0.0.1} on a port the system picks, and
 * the program's JVM connects to that address before running any code ({@code suspend=y}). Nothing listens on another
 * interface, and the program never opens a debugging port of its own, so no other machine can attach to it.
 */
public final class AgentCommandLine {

  private AgentCommandLine() {
  }

  /**
   * Inserts the agent option right after the launcher.
   *
   * @param command  {@code java <args>} as the user typed it
   * @param port     the loopback port MemGuard listens on
   * @throws IllegalArgumentException when the command does not start with a {@code java} launcher, or already loads
   *                                  a JDWP agent (a second one would fail to start, or would be the debugger)
   */
  public static List<String> withAgent(final List<String> command, final int port) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException(
          "no program to run: give the command after '--', e.g. -- java -cp app.jar Main");
    }
    final String launcher = Path.of(command.get(0)).getFileName().toString();
    if (!launcher.equals("java") && !launcher.equals("java.exe")) {
      throw new IllegalArgumentException("--jdwp runs a JVM: the command must start with 'java' (or a path to it), "
          + "not '" + command.get(0) + "'");
    }
    for (final String argument : command.subList(1, command.size())) {
      if (argument.startsWith("-agentlib:jdwp") || argument.startsWith("-Xrunjdwp")
          || argument.startsWith("-Xdebug")) {
        throw new IllegalArgumentException("the command already loads a JDWP agent ('" + argument
            + "'); --jdwp adds its own, remove this option");
      }
    }
    final List<String> line = new ArrayList<>(command.size() + 1);
    line.add(command.get(0));
    line.add(agentOption(port));
    line.addAll(command.subList(1, command.size()));
    return List.copyOf(line);
  }

  /** The {@code -agentlib:jdwp} option connecting to {@code 127.0.0.1:port}, with the program held until then. */
  public static String agentOption(final int port) {
    return "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=127.0.0.1:" + port;
  }
}
