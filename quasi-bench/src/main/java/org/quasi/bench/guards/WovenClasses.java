package org.quasi.bench.guards;

import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeaveOptions;
import org.quasi.agent.Weaver;
import org.quasi.agent.WeavingClassLoader;

/**
 * Loads {@link Cell}, {@link Triple}, {@link Scaling} and {@link Processor} woven by quasi-agent's {@link Weaver}
 * (child first, everything else from the parent), so the benchmarks measure exactly the code the agent emits, in the
 * default or strict mode.
 */
final class WovenClasses {

  private static final String PACKAGE = "org.quasi.bench.guards.";

  private WovenClasses() {}

  /** A new loader of the woven classes; each loader holds its own copy of them. */
  static WeavingClassLoader loader() {
    return loader(false);
  }

  /** A new loader of the woven classes, woven in strict mode or not. */
  static WeavingClassLoader loader(final boolean strict) {
    final ClassLoader parent = WovenClasses.class.getClassLoader();
    return new WeavingClassLoader(parent, ClassBytes.of(parent), GuardSpec.annotationsOnly(),
        name -> name.equals(PACKAGE + "Cell") || name.equals(PACKAGE + "Triple") || name.equals(PACKAGE + "Scaling")
            || name.equals(PACKAGE + "Processor"),
        WeaveOptions.defaults().withStrict(strict));
  }

  /** A new woven cell. */
  static IntSink newWovenCell(final WeavingClassLoader loader) {
    return newWoven(loader, "Cell");
  }

  /** A new woven instance of {@code simpleName} (Cell or Triple). */
  static IntSink newWoven(final WeavingClassLoader loader, final String simpleName) {
    try {
      return (IntSink) loader.loadClass(PACKAGE + simpleName).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the woven " + simpleName + ": " + e, e);
    }
  }
}
