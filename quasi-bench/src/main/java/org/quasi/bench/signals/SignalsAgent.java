package org.quasi.bench.signals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.quasi.bench.AgentJar;
import org.quasi.cases.signals.QuasiKernel;

/**
 * The JVM option the signals group's forks need: Quasi's agent with the case's quasi-invariants, so that the kernel's
 * classes get guarded writes as a user's would ({@code -javaagent:JAR=FILE}, FILE being {@code signals.spec} without
 * its {@code entry} line) and the quasi variant's versions are guarded. The generic and hand variants run in the same
 * woven JVMs: their kill path writes no declared field, so it runs no guard, and {@code Kernel.sysKill} stays
 * generic.
 */
public final class SignalsAgent {

  private SignalsAgent() {
  }

  /**
   * {@code -javaagent:} with the jar holding the agent (Quasi's command-line jar, or quasi-agent's own jar when
   * running from the build's class directories) and a copy of {@code signals.spec} in a temporary file.
   *
   * @return the option, one element
   * @throws IllegalStateException when no jar with the agent's {@code Premain-Class} can be found
   */
  public static List<String> forkJvmArgs() {
    return List.of("-javaagent:" + AgentJar.find("the signals group's quasi variant") + "=" + specFile());
  }

  private static Path specFile() {
    try (InputStream in = QuasiKernel.class.getResourceAsStream(QuasiKernel.SPEC)) {
      if (in == null) {
        throw new IllegalStateException(QuasiKernel.SPEC + " is missing beside " + QuasiKernel.class.getName());
      }
      Path copy = Files.createTempFile("quasi-signals-", ".spec");
      copy.toFile().deleteOnExit();
      // Without the entry line: the agent weaves guarded writes into every kernel but leaves Kernel.sysKill generic
      // for the generic and hand variants (the quasi variant builds its entry point from the full spec itself).
      String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      Files.writeString(copy, text.lines().filter(l -> !l.strip().startsWith("entry "))
          .collect(java.util.stream.Collectors.joining("\n", "", "\n")));
      return copy;
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy " + QuasiKernel.SPEC + " to a temporary file: " + e, e);
    }
  }
}
