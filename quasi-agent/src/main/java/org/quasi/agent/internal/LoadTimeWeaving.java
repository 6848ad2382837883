package org.quasi.agent.internal;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.WeakHashMap;
import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeaveOptions;
import org.quasi.agent.Weaver;

/**
 * The agent's transformer: one {@link Weaver} per class loader (class headers are read through that loader), JDK and
 * Quasi classes skipped, failures reported and the class left as it was.
 */
public final class LoadTimeWeaving implements ClassFileTransformer {

  private final GuardSpec spec;
  private final WeaveOptions options;
  private final PrintStream log;
  private final Map<ClassLoader, Weaver> weavers = new WeakHashMap<>();

  public LoadTimeWeaving(final GuardSpec spec, final PrintStream log) {
    this(spec, WeaveOptions.defaults(), log);
  }

  /**
   * A transformer weaving with {@code options}: strict mode, and the classes that cannot be woven (the agent adds
   * those loaded before it).
   */
  public LoadTimeWeaving(final GuardSpec spec, final WeaveOptions options, final PrintStream log) {
    this.spec = spec;
    this.options = options;
    this.log = log;
  }

  @Override
  public byte[] transform(final ClassLoader loader, final String className, final Class<?> redefined,
      final ProtectionDomain domain, final byte[] classFile) {
    if (className == null || redefined != null || skipped(loader, className)) {
      return null;
    }
    try {
      final Weaver.Result r = weaver(loader).weave(classFile);
      for (final String problem : r.problems()) {
        log.println("quasi-agent: " + problem + "; the method runs as written");
      }
      return r.changed() ? r.bytes() : null;
    } catch (RuntimeException | LinkageError e) {
      log.println("quasi-agent: left " + className.replace('/', '.') + " unwoven: " + e);
      return null;
    }
  }

  private static boolean skipped(final ClassLoader loader, final String name) {
    return loader == null || loader == ClassLoader.getPlatformClassLoader() || name.startsWith("java/")
        || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/")
        || quasiOwn(name, "org/quasi/runtime/") || quasiOwn(name, "org/quasi/agent/")
        || quasiOwn(name, "org/quasi/versions/") || name.startsWith("org/quasi/specializer/")
        || name.startsWith("org/quasi/typeguard/spec/");
  }

  /** Whether {@code name} is one of the agent's own classes: in {@code pkg} itself or its {@code internal} package. */
  private static boolean quasiOwn(final String name, final String pkg) {
    return name.startsWith(pkg) && (name.indexOf('/', pkg.length()) < 0 || name.startsWith(pkg + "internal/"));
  }

  private Weaver weaver(final ClassLoader loader) {
    synchronized (weavers) {
      return weavers.computeIfAbsent(loader, l -> new Weaver(spec, ClassBytes.of(l), options));
    }
  }
}
