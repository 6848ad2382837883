package org.quasi.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.quasi.agent.QuasiAgent;

/** Finds the jar that holds Quasi's agent, for groups whose forked JVMs run with {@code -javaagent:}. */
public final class AgentJar {

  private AgentJar() {
  }

  /**
   * Quasi's command-line jar (it declares the agent too), or quasi-agent's own jar when running from the build's
   * class directories.
   *
   * @param purpose what needs the agent, for the error message
   * @throws IllegalStateException when no jar with the agent's {@code Premain-Class} can be found
   */
  public static Path find(final String purpose) {
    Path where;
    try {
      where = Path.of(QuasiAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException | SecurityException e) {
      throw new IllegalStateException("cannot tell where the class " + QuasiAgent.class.getName() + " comes from", e);
    }
    final Path candidate = Files.isDirectory(where) ? where.resolveSibling("quasi-agent.jar") : where;
    if (!isAgentJar(candidate)) {
      throw new IllegalStateException(purpose + " needs a jar with Quasi's agent (Premain-Class "
          + QuasiAgent.class.getName() + "); " + candidate + " is not one. Build it with mvn -pl quasi-cli -am "
          + "package and run ./quasi bench");
    }
    return candidate.toAbsolutePath();
  }

  private static boolean isAgentJar(final Path jar) {
    if (!Files.isRegularFile(jar)) {
      return false;
    }
    try (JarFile file = new JarFile(jar.toFile())) {
      final Manifest manifest = file.getManifest();
      return manifest != null
          && QuasiAgent.class.getName().equals(manifest.getMainAttributes().getValue("Premain-Class"));
    } catch (IOException e) {
      return false;
    }
  }
}
