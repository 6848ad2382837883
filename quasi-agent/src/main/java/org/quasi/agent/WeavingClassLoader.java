package org.quasi.agent;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A child-first class loader that defines the classes it owns from their class files, woven with guarded writes: the
 * way to run woven code in-process without {@code -javaagent} (a test, a benchmark, a tool). Every other class (the
 * JDK, quasi-runtime, the rest of the program) comes from the parent, so woven code and its callers share one
 * {@code Guards}.
 *
 * <p>Without a weaver it defines the owned classes unchanged: a second, unwoven copy to run side by side with a woven
 * one in differential tests.
 */
public final class WeavingClassLoader extends ClassLoader {

  /** Where the owned classes' bytes come from. */
  private final ClassBytes bytes;

  /** Weaves the owned classes; {@code null} to define them unchanged. */
  private final Weaver weaver;

  /** Which binary class names this loader defines itself. */
  private final Predicate<String> owns;

  /** What weaving did to each class defined so far, in order. */
  private final List<Weaver.Result> results = new CopyOnWriteArrayList<>();

  /**
   * A loader owning the classes {@code owns} accepts.
   *
   * @param parent loads everything else, and is where the owned classes' bytes are read
   * @param spec the quasi-invariants to guard; {@code null} to define the owned classes unwoven
   * @param owns binary class names (such as {@code com.x.Task}) this loader defines itself
   */
  public WeavingClassLoader(final ClassLoader parent, final GuardSpec spec, final Predicate<String> owns) {
    this(parent, ClassBytes.of(Objects.requireNonNull(parent, "parent")), spec, owns);
  }

  /**
   * A loader reading the owned classes from {@code bytes} (a directory woven ahead of time, say) instead of from the
   * parent.
   */
  public WeavingClassLoader(final ClassLoader parent, final ClassBytes bytes, final GuardSpec spec,
      final Predicate<String> owns) {
    this(parent, bytes, spec, owns, WeaveOptions.defaults());
  }

  /** A loader as above, weaving with {@code options} (strict mode, classes that cannot be woven). */
  public WeavingClassLoader(final ClassLoader parent, final ClassBytes bytes, final GuardSpec spec,
      final Predicate<String> owns, final WeaveOptions options) {
    super(Objects.requireNonNull(parent, "parent"));
    this.bytes = Objects.requireNonNull(bytes, "bytes");
    this.weaver = spec == null ? null : new Weaver(spec, bytes, options);
    this.owns = Objects.requireNonNull(owns, "owns");
  }

  /** What weaving did to each owned class loaded so far, in load order; empty when this loader does not weave. */
  public List<Weaver.Result> results() {
    return List.copyOf(results);
  }

  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    if (!owns.test(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      final Class<?> done = findLoadedClass(name);
      if (done != null) {
        return done;
      }
      byte[] b = bytes.find(name.replace('.', '/'));
      if (b == null) {
        throw new ClassNotFoundException(name + " (no class file for it where this loader reads classes)");
      }
      if (weaver != null) {
        final Weaver.Result r = weaver.weave(b);
        results.add(r);
        if (r.changed()) {
          b = r.bytes();
        }
      }
      final Class<?> c = defineClass(name, b, 0, b.length);
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }
}
