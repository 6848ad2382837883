package org.quasi.bench.guards;

import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.Weaver;

/**
 * Loads {@link Cell} and {@link Scaling} woven by quasi-agent's {@link Weaver} (child first, everything else from the
 * parent), so the benchmarks measure exactly the code the agent emits.
 */
final class WovenClasses extends ClassLoader {

  private static final String PACKAGE = "org.quasi.bench.guards.";
  private final ClassBytes bytes = ClassBytes.of(WovenClasses.class.getClassLoader());
  private final Weaver weaver = new Weaver(GuardSpec.annotationsOnly(), bytes);

  WovenClasses() {
    super(WovenClasses.class.getClassLoader());
  }

  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    if (!name.equals(PACKAGE + "Cell") && !name.equals(PACKAGE + "Scaling")) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      final Class<?> done = findLoadedClass(name);
      if (done != null) {
        return done;
      }
      final byte[] original = bytes.find(name.replace('.', '/'));
      final Weaver.Result r = weaver.weave(original);
      final byte[] b = r.changed() ? r.bytes() : original;
      return defineClass(name, b, 0, b.length);
    }
  }

  /** A new woven cell. */
  static IntSink newWovenCell(final WovenClasses loader) {
    try {
      return (IntSink) loader.loadClass(PACKAGE + "Cell").getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load the woven Cell: " + e, e);
    }
  }
}
