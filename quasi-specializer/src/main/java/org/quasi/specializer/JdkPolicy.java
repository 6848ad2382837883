package org.quasi.specializer;

import java.util.List;
import java.util.Objects;

/**
 * Which JDK code the specializer may specialize into (inline, or copy into a specialized method of the residual
 * class), and which it only calls. JDK code is the code of classes defined by the bootstrap or platform class loader.
 *
 * <p>The default, {@link #CALL_ONLY}, specializes into no JDK package: a JDK method is called, and a pure one on known
 * arguments ({@code Math}, the boxes, {@code String}, {@code Character}) is run at specialization time and folds. The
 * reasons: many JDK methods are JIT intrinsics ({@code Integer.bitCount}, {@code Math.min}, {@code String.equals})
 * whose bytecode is slower than the intrinsic; most reach private members of {@code java.base} that the residual
 * class (a nestmate of the caller's lookup class) cannot reach, so the screen would refuse them anyway; and their
 * bytecode changes between JDK releases. {@link #specializeInto} names packages whose methods are specialized like
 * application code (each still screened: a method touching members the lookup cannot reach is called instead).
 *
 * <p>Immutable.
 *
 * @since 0.1
 */
public final class JdkPolicy {
  /** Specialize into no JDK package: JDK methods are called (and folded when pure on known arguments). */
  public static final JdkPolicy CALL_ONLY = new JdkPolicy(List.of());

  private final List<String> packages;

  private JdkPolicy(final List<String> packages) {
    this.packages = packages;
  }

  /**
   * Returns the policy that specializes into the named JDK packages: {@code java.util} names that package only,
   * {@code java.util.*} also its subpackages.
   *
   * @throws IllegalArgumentException when a name is not a package name (optionally ending in {@code .*})
   */
  public static JdkPolicy specializeInto(final String... packageNames) {
    for (final String p : packageNames) {
      Objects.requireNonNull(p, "package name");
      if (!p.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
          + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*(\\.\\*)?")) {
        throw new IllegalArgumentException("Not a package name: '" + p + "' (expected e.g. java.util or java.util.*)");
      }
    }
    return new JdkPolicy(List.of(packageNames));
  }

  /** Returns the package names (as given) this policy specializes into. */
  public List<String> packages() {
    return packages;
  }

  /** Returns whether this is JDK code, which the policy governs. */
  public static boolean isJdk(final Class<?> c) {
    final ClassLoader loader = c.getClassLoader();
    return loader == null || loader == ClassLoader.getPlatformClassLoader();
  }

  /** Returns whether methods of class {@code c} may be specialized into: any non-JDK class, or a listed package. */
  public boolean specializesInto(final Class<?> c) {
    if (!isJdk(c)) {
      return true;
    }
    final String pkg = c.getPackageName();
    for (final String p : packages) {
      if (p.endsWith(".*") ? pkg.equals(p.substring(0, p.length() - 2)) || pkg.startsWith(p.substring(0,
          p.length() - 1)) : pkg.equals(p)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof JdkPolicy p && p.packages.equals(packages);
  }

  @Override
  public int hashCode() {
    return packages.hashCode();
  }

  @Override
  public String toString() {
    return packages.isEmpty() ? "JDK: call only" : "JDK: specialize into " + String.join(", ", packages);
  }
}
