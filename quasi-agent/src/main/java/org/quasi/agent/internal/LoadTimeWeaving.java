package org.quasi.agent.internal;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeaveOptions;
import org.quasi.agent.Weaver;
import org.quasi.runtime.Guards;

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
    } catch (RuntimeException | Error e) {
      // DontCheck(IllegalCatch): any failure, a stack overflow in the weaver too; unwoven, the class is marked below.
      log.println("quasi-agent: left " + className.replace('/', '.') + " unwoven: " + e);
      distrustWrites(loader, className.replace('/', '.'), classFile, e);
      return null;
    }
  }

  /**
   * The class is about to be defined unwoven: its writes to quasi-invariant fields will bypass the guards, so every
   * version relying on one of those fields is unplugged now, and none is made again
   * ({@code Guards.writtenWithoutGuard}).
   * Its reflective, handle and {@code Unsafe} writes are not rerouted either; like the JDK's, they stay unguarded.
   */
  private void distrustWrites(final ClassLoader loader, final String name, final byte[] classFile,
      final Throwable cause) {
    weaver(loader).failedToWeave(name.replace('.', '/'));
    final List<String> fields;
    try {
      fields = weaver(loader).quasiInvariantWrites(classFile);
    } catch (RuntimeException | Error e) {
      log.println("quasi-agent: could not tell which quasi-invariant fields " + name + " writes: " + e);
      return;
    }
    if (fields.isEmpty()) {
      return;
    }
    final String why = name + " writes it and could not be woven (" + cause + ")";
    for (final String f : fields) {
      final int dot = f.lastIndexOf('.');
      try {
        Guards.writtenWithoutGuard(f.substring(0, dot), f.substring(dot + 1), why);
      } catch (RuntimeException e) {
        // A dependent's invalidation failed; the field is marked all the same, and the others are still reached.
        log.println("quasi-agent: invalidating what relies on " + f + " failed: " + e);
      }
    }
    log.println("quasi-agent: " + name + " writes " + String.join(", ", fields)
        + " without a guard: no version relies on " + (fields.size() == 1 ? "it" : "them") + " from now on");
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
