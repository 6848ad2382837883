package org.quasi.bench.guards;

import org.quasi.agent.GuardSpec;
import org.quasi.agent.Weaver;
import org.quasi.agent.WeavingClassLoader;

/**
 * Loads {@link Cell}, {@link Scaling} and {@link Processor} woven by quasi-agent's {@link Weaver} (child first, everything else from the
 * parent), so the benchmarks measure exactly the code the agent emits.
 */
final class WovenClasses {

  private static final String PACKAGE = "org.quasi.bench.guards.";

  private WovenClasses() {}

  /** A new loader of the woven classes; each loader holds its own copy of them. */
  static WeavingClassLoader loader() {
    return new WeavingClassLoader(WovenClasses.class.getClassLoader(), GuardSpec.annotationsOnly(),
        name -> name.equals(PACKAGE + "Cell") || name.equals(PACKAGE + "Scaling")
            || name.equals(PACKAGE + "Processor"));
  }

  /** A new woven cell. */
  static IntSink newWovenCell(final WeavingClassLoader loader) {
    try {
      return (IntSink) loader.loadClass(PACKAGE + "Cell").getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the woven Cell: " + e, e);
    }
  }
}
