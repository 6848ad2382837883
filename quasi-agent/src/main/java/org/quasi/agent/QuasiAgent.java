package org.quasi.agent;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import org.quasi.versions.EntryBootstrap;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quasi.agent.internal.LoadTimeWeaving;
import org.quasi.agent.shadow.ShadowAgent;
import org.quasi.agent.shadow.ShadowOptions;
import org.quasi.typeguard.spec.SpecException;

/**
 * The Java agent: {@code java -javaagent:quasi-agent.jar=SPEC -cp APP Main} weaves guarded writes into every
 * application class as it is loaded, and turns each method a spec {@code entry} line names into a specialized entry
 * point (built on its first call). {@code SPEC} is a spec file ({@code docs/SPEC.md}); without it only fields
 * annotated {@link org.quasi.runtime.QuasiInvariant} are guarded. The option {@code strict}
 * ({@code -javaagent:quasi-agent.jar=strict,SPEC}, or {@code =strict} alone) weaves strict guarded writes
 * ({@link WeaveOptions#strict()}); the option {@code report} ({@code =SPEC,report}) prints, when the JVM exits, each
 * entry point's counters on standard error ({@link EntryBootstrap#report}). Options and the spec file may come in
 * any order, separated by commas.
 *
 * <p>Classes an application loader loaded before the agent started cannot be woven; writes to their quasi-invariant
 * fields from woven code use the side table, like the JDK's.
 *
 * <p>Classes of the bootstrap and platform loaders (the JDK), and Quasi's own, are not woven. A class the weaver
 * cannot weave is loaded unwoven, with a line on standard error naming it and the reason. A malformed or unreadable
 * spec file stops the JVM at startup with {@code FILE:LINE: what was expected}.
 *
 * <p>With an argument starting {@code shadow:} the agent runs shadow mode instead ({@link ShadowAgent}); it does not
 * weave guards then.
 *
 * @since 0.1
 */
public final class QuasiAgent {

  /** The agent option that turns strict mode on. */
  private static final String STRICT = "strict";

  /** The agent option that prints each entry point's counters at exit. */
  private static final String REPORT = "report";

  private QuasiAgent() {
  }

  /**
   * Entry point of {@code -javaagent}.
   *
   * @throws IllegalArgumentException for a malformed or unreadable spec file (the JVM then does not start)
   */
  public static void premain(final String args, final Instrumentation instrumentation) {
    if (args != null && args.startsWith(ShadowOptions.PREFIX)) {
      ShadowAgent.install(ShadowOptions.parse(args), instrumentation);
      return;
    }
    final Set<String> loadedBefore = new HashSet<>();
    for (final Class<?> c : instrumentation.getAllLoadedClasses()) {
      final ClassLoader l = c.getClassLoader();
      if (l != null && l != ClassLoader.getPlatformClassLoader() && !c.isArray()) {
        loadedBefore.add(c.getName().replace('.', '/'));
      }
    }
    if (items(args).contains(REPORT)) {
      EntryBootstrap.reportAtExit(System.err);
    }
    final WeaveOptions options = options(args).withUnwoven(Set.copyOf(loadedBefore)::contains);
    instrumentation.addTransformer(new LoadTimeWeaving(spec(args), options, System.err));
  }

  /** The weave options of the agent's argument: {@code strict} among its comma-separated items. */
  static WeaveOptions options(final String args) {
    return WeaveOptions.defaults().withStrict(items(args).contains(STRICT));
  }

  /** The spec of the agent's argument: the items other than {@code strict}, joined back with commas. */
  static GuardSpec spec(final String args) {
    final List<String> rest = new ArrayList<>(items(args));
    rest.removeIf(item -> item.strip().equals(STRICT) || item.strip().equals(REPORT));
    final String file = String.join(",", rest).strip();
    if (file.isEmpty()) {
      return GuardSpec.annotationsOnly();
    }
    try {
      return GuardSpec.read(Path.of(file));
    } catch (SpecException e) {
      throw new IllegalArgumentException("quasi-agent: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("quasi-agent: cannot read the spec file " + file + ": " + e, e);
    }
  }

  private static List<String> items(final String args) {
    if (args == null || args.isBlank()) {
      return List.of();
    }
    final List<String> items = new ArrayList<>();
    for (final String item : args.strip().split(",", -1)) {
      items.add(item.strip());
    }
    return items;
  }
}
