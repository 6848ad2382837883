package org.quasi.memguard.internal;

import java.io.PrintStream;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The MemGuard agent's transformer: runs the {@link TrapRewriter} over every application class as it is loaded (after
 * quasi-agent's weaving, whose transformer is registered first).
 *
 * <p>Skipped: the JDK (bootstrap and platform loaders, {@code java/}, {@code jdk/}, {@code sun/}, {@code com/sun/}),
 * Quasi's own tool classes, and classes whose loader cannot see this {@code Traps} class (a loader that does not
 * delegate to the application loader), which would fail to link; each skipped loader is named once on standard error.
 */
public final class LoadTimeTraps implements ClassFileTransformer {

  private static final String[] OWN = {"org/quasi/runtime/", "org/quasi/agent/", "org/quasi/memguard/",
      "org/quasi/typeguard/", "org/quasi/specializer/", "org/quasi/versions/", "org/quasi/cli/", "org/quasi/bench/",
      "picocli/", "org/objectweb/asm/", "org/openjdk/jmh/"};

  private final TrapRewriter rewriter;
  private final PrintStream err;
  private final Map<ClassLoader, Boolean> seesTraps = new WeakHashMap<>();
  /** The package and reason pairs already said by {@link #leftUntrapped}. */
  private final Set<String> said = new HashSet<>();

  public LoadTimeTraps(final TrapRewriter rewriter, final PrintStream err) {
    this.rewriter = rewriter;
    this.err = err;
  }

  @Override
  public byte[] transform(final ClassLoader loader, final String className, final Class<?> redefined,
      final ProtectionDomain domain, final byte[] classFile) {
    if (className == null || redefined != null || skipped(loader, className) || !seesTraps(loader)) {
      return null;
    }
    try {
      final TrapRewriter.Result r = rewriter.rewrite(classFile);
      if (r.skipped() != null) {
        leftUntrapped(r.className(), r.skipped());
      }
      return r.bytes();
    } catch (RuntimeException | LinkageError e) {
      err.println("memguard: left " + className.replace('/', '.') + " untrapped: " + e);
      return null;
    }
  }

  /**
   * Says that a class was left untrapped, once per package and reason: a library compiled for Java 5 (picocli shaded
   * in JUnit's console launcher, old ASM, JUnit 4) otherwise fills standard error with hundreds of lines.
   */
  private void leftUntrapped(final String className, final String reason) {
    final int dot = className.lastIndexOf('.');
    final String pkg = dot < 0 ? "" : className.substring(0, dot);
    final boolean first;
    synchronized (said) {
      first = said.add(pkg + '|' + reason);
    }
    if (first) {
      err.println("memguard: left " + className + " untrapped: " + reason + " (other classes of "
          + (pkg.isEmpty() ? "the unnamed package" : pkg) + " left for this reason are not listed)");
    }
  }

  private static boolean skipped(final ClassLoader loader, final String name) {
    if (loader == null || loader == ClassLoader.getPlatformClassLoader() || name.startsWith("java/")
        || name.startsWith("jdk/") || name.startsWith("sun/") || name.startsWith("com/sun/")) {
      return true;
    }
    for (final String prefix : OWN) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private boolean seesTraps(final ClassLoader loader) {
    synchronized (seesTraps) {
      return seesTraps.computeIfAbsent(loader, l -> {
        boolean same;
        try {
          same = Class.forName(Traps.class.getName(), false, l) == Traps.class;
        } catch (ClassNotFoundException | LinkageError e) {
          same = false;
        }
        if (!same) {
          err.println("memguard: classes of loader " + l + " are not trapped: it does not see MemGuard's classes");
        }
        return same;
      });
    }
  }
}
