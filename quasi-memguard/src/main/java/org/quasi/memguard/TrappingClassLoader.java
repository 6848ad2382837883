package org.quasi.memguard;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.function.Predicate;
import org.quasi.memguard.internal.TrapRewriter;

/**
 * A child-first class loader that loads the classes it owns through MemGuard's trap rewriter, as the agent would at
 * load time: for running trapped code in-process without {@code -javaagent} (MemGuard's tests and the
 * {@code memguard} benchmarks). Every other class, MemGuard included, comes from the parent, so trapped code and its
 * host share one protected set and one log.
 *
 * @since 0.1
 */
public final class TrappingClassLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final Predicate<String> owns;
  private final TrapRewriter rewriter;

  /**
   * @param parent where the classes' bytes and every class it does not own come from
   * @param owns which classes (binary names) this loader defines itself, trapped
   * @param fieldNames the field names whose {@code putfield}/{@code putstatic} are trapped, {@code null} for all
   */
  public TrappingClassLoader(final ClassLoader parent, final Predicate<String> owns,
      final java.util.Set<String> fieldNames) {
    super("memguard-trapping", parent);
    this.owns = Objects.requireNonNull(owns, "owns");
    this.rewriter = new TrapRewriter(fieldNames);
  }

  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    if (!owns.test(name)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        final byte[] original;
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) {
            throw new ClassNotFoundException(name + " (no class file in the parent loader)");
          }
          original = in.readAllBytes();
        } catch (IOException e) {
          throw new ClassNotFoundException(name + " (" + e.getMessage() + ")", e);
        }
        final TrapRewriter.Result r = rewriter.rewrite(original);
        final byte[] bytes = r.bytes() != null ? r.bytes() : original;
        c = defineClass(name, bytes, 0, bytes.length);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }
}
