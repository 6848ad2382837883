package org.quasi.bench.shadow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.quasi.agent.shadow.ShadowOptions;
import org.quasi.bench.AgentJar;

/**
 * The JVM option the shadow group's forks need: Quasi's agent in shadow mode, probing {@link ProbedMixer} and
 * {@link Java6Mixer}, every invocation sampled until one was shadowed (so the probes are past their samples before
 * the first warm-up iteration ends), the summary in a temporary file rather than on the fork's standard error.
 */
public final class ShadowBenchAgent {
  /** The classes probed. */
  static final Pattern PROBED = Pattern.compile("^org\\.quasi\\.bench\\.shadow\\.(Probed|Java6)Mixer$");

  private ShadowBenchAgent() {
  }

  /** {@code -javaagent:JAR=shadow:...}, one element. */
  public static List<String> forkJvmArgs() {
    final Path summary;
    try {
      summary = Files.createTempFile("quasi-shadow-bench-", ".txt");
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a temporary file for the shadow's summary: " + e, e);
    }
    summary.toFile().deleteOnExit();
    final ShadowOptions options = new ShadowOptions(1, 0, PROBED, 1, null, summary);
    return List.of("-javaagent:" + AgentJar.find("the shadow group") + "=" + options.agentArgument());
  }
}
