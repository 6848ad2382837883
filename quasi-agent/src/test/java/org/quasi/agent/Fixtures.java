package org.quasi.agent;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.quasi.runtime.Dependent;
import org.quasi.runtime.GuardedLocation;

/** Loaders of the agent's test fixtures, woven and not, and a dependent that records its invalidations. */
final class Fixtures {

  static final String PKG = "org.quasi.agent.fixtures.";

  /** The fixtures' package: what the loaders below define themselves (child first). */
  static final Predicate<String> OWNED = n -> n.startsWith(PKG);

  private Fixtures() {
  }

  /** The fixtures woven with the annotations plus {@code spec} (internal owner + "." + field), with {@code options}. */
  static WeavingClassLoader woven(final Set<String> spec, final WeaveOptions options) {
    final ClassLoader parent = Fixtures.class.getClassLoader();
    return new WeavingClassLoader(parent, ClassBytes.of(parent), new GuardSpec(spec), OWNED, options);
  }

  /** The fixtures as compiled, in a loader of their own. */
  static WeavingClassLoader original() {
    return new WeavingClassLoader(Fixtures.class.getClassLoader(), null, OWNED);
  }

  static Weaver.Result resultOf(final WeavingClassLoader loader, final String simpleName) {
    return loader.results().stream().filter(r -> r.className().equals(PKG + simpleName)).findFirst().orElseThrow();
  }

  /** A dependent recording its invalidations. */
  static final class Recorder implements Dependent {
    final List<GuardedLocation> causes = new ArrayList<>();

    @Override
    public synchronized void invalidate(final GuardedLocation cause) {
      causes.add(cause);
    }

    @Override
    public synchronized boolean isValid() {
      return causes.isEmpty();
    }

    synchronized List<GuardedLocation> causes() {
      return List.copyOf(causes);
    }
  }
}
