package org.quasi.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Loads the classes of {@code org.quasi.agent.fixtures} itself (child first), from {@code bytes}, woven by
 * {@code weaver} when one is given; everything else (the runtime, JUnit) comes from the parent, so the test and the
 * woven classes share {@code Guards}.
 */
final class WeavingLoader extends ClassLoader {

  private static final String PACKAGE = "org.quasi.agent.fixtures.";

  private final ClassBytes bytes;
  private final Weaver weaver;
  final List<Weaver.Result> results = new ArrayList<>();

  WeavingLoader(final ClassBytes bytes, final Weaver weaver) {
    super(WeavingLoader.class.getClassLoader());
    this.bytes = bytes;
    this.weaver = weaver;
  }

  /** The fixtures as compiled, woven with the annotations and {@code Rule.budget} from the spec. */
  static WeavingLoader woven() {
    final ClassBytes own = ClassBytes.of(WeavingLoader.class.getClassLoader());
    return new WeavingLoader(own, new Weaver(new GuardSpec(java.util.Set.of("org/quasi/agent/fixtures/Rule.budget")),
        own));
  }

  /** The fixtures as compiled, in a loader of their own. */
  static WeavingLoader original() {
    return new WeavingLoader(ClassBytes.of(WeavingLoader.class.getClassLoader()), null);
  }

  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(PACKAGE)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      final Class<?> done = findLoadedClass(name);
      if (done != null) {
        return done;
      }
      byte[] b = bytes.find(name.replace('.', '/'));
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      if (weaver != null) {
        final Weaver.Result r = weaver.weave(b);
        results.add(r);
        if (r.changed()) {
          b = r.bytes();
        }
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
