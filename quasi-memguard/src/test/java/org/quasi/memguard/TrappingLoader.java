package org.quasi.memguard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.quasi.memguard.internal.TrapRewriter;

/**
 * Loads the classes of one package child-first through the {@link TrapRewriter}, as the agent would: what the tests
 * use to run trapped code in-process. Everything else (MemGuard itself) comes from the parent, so the trapped code and
 * the test share one {@code Traps}.
 */
final class TrappingLoader extends ClassLoader {

  private final String prefix;
  private final TrapRewriter rewriter;

  TrappingLoader(final String packageName, final TrapRewriter rewriter) {
    super("trapping", TrappingLoader.class.getClassLoader());
    this.prefix = packageName + ".";
    this.rewriter = rewriter;
  }

  @Override
  protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(prefix)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        final byte[] original;
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          if (in == null) {
            throw new ClassNotFoundException(name);
          }
          original = in.readAllBytes();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
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
