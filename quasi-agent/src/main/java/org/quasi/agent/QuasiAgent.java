package org.quasi.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import org.quasi.versions.EntryBootstrap;
import java.nio.file.Path;
import org.quasi.agent.internal.LoadTimeWeaving;
import org.quasi.typeguard.spec.SpecException;

/**
 * The Java agent: {@code java -javaagent:quasi-agent.jar=SPEC -cp APP Main} weaves guarded writes into every
 * application class as it is loaded, and turns each method a spec {@code entry} line names into a specialized entry
 * point (built on its first call). {@code SPEC} is a spec file ({@code docs/SPEC.md}); without it only fields
 * annotated {@link org.quasi.runtime.QuasiInvariant} are guarded. {@code =SPEC,report} also prints, when the JVM
 * exits, each entry point's counters on standard error ({@link EntryBootstrap#report}).
 *
 * <p>Classes of the bootstrap and platform loaders (the JDK), and Quasi's own, are not woven. A class the weaver
 * cannot weave is loaded unwoven, with a line on standard error naming it and the reason. A malformed or unreadable
 * spec file stops the JVM at startup with {@code FILE:LINE: what was expected}.
 *
 * @since 0.1
 */
public final class QuasiAgent {

  private QuasiAgent() {
  }

  /**
   * Entry point of {@code -javaagent}.
   *
   * @throws IllegalArgumentException for a malformed or unreadable spec file (the JVM then does not start)
   */
  public static void premain(final String args, final Instrumentation instrumentation) {
    String specArg = args == null ? "" : args.strip();
    if (specArg.equals("report") || specArg.endsWith(",report")) {
      specArg = specArg.substring(0, Math.max(0, specArg.length() - "report".length() - 1)).strip();
      EntryBootstrap.reportAtExit(System.err);
    }
    instrumentation.addTransformer(new LoadTimeWeaving(spec(specArg), System.err));
  }

  static GuardSpec spec(final String args) {
    if (args == null || args.isBlank()) {
      return GuardSpec.annotationsOnly();
    }
    try {
      return GuardSpec.read(Path.of(args.strip()));
    } catch (SpecException e) {
      throw new IllegalArgumentException("quasi-agent: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("quasi-agent: cannot read the spec file " + args + ": " + e, e);
    }
  }
}
