package org.quasi.agent;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How the {@link Weaver} guards writes: the JMM mode of the emitted guards and which classes cannot be woven.
 *
 * <p><b>Strict.</b> In the default mode a guarded write is the paper's one test (a volatile load of the QUID and a
 * null check) before the store; a writer that tested just before a QUID was installed can store after the
 * registering thread re-read the field (the race in {@code org.quasi.runtime.Guards}' {@code @implNote}). In strict
 * mode a write that found no QUID stores, runs a full fence and tests again, invalidating after the fact if a QUID
 * appeared: the race is closed, for the price of a StoreLoad fence per write (per batch of adjacent writes).
 *
 * <p><b>Unwoven classes.</b> A class the predicate accepts (internal name, {@code java/io/StreamTokenizer}) is never
 * woven: it gets no QUID field and no flag, and writes to its quasi-invariant fields from woven code test the
 * side-table flag of the field reference's class, then the object's QUID (in the side table, or in a woven subclass),
 * then take the slow path. The default accepts the JDK's packages, which the agent cannot weave (bootstrap and
 * platform classes are loaded before it, or by loaders it skips).
 *
 * <p>Immutable; each {@code withX} returns a new instance.
 *
 * @param strict whether guarded writes close the first-install race with a fence (see above)
 * @param unwoven which classes (internal names) cannot be woven
 * @since 0.1
 */
public record WeaveOptions(boolean strict, Predicate<String> unwoven) {

  /**
   * The JDK's classes: those in a package of a boot-layer module defined to the bootstrap or platform loader (the
   * running JDK's), which the agent leaves alone. An application's {@code javax.*} library on the class path is not
   * one of them.
   */
  public static final Predicate<String> JDK = name -> JdkPackages.SET.contains(packageOf(name));

  public WeaveOptions {
    Objects.requireNonNull(unwoven, "unwoven");
  }

  private static String packageOf(final String internalName) {
    final int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  /** The JDK's packages as internal names, computed once. */
  private static final class JdkPackages {
    static final Set<String> SET = compute();

    private static Set<String> compute() {
      final Set<String> out = new HashSet<>();
      final ClassLoader platform = ClassLoader.getPlatformClassLoader();
      for (final Module m : ModuleLayer.boot().modules()) {
        if (m.getClassLoader() == null || m.getClassLoader() == platform) {
          for (final String p : m.getPackages()) {
            out.add(p.replace('.', '/'));
          }
        }
      }
      return Set.copyOf(out);
    }
  }

  /** The default: the paper's one-test guard, JDK classes unwoven. */
  public static WeaveOptions defaults() {
    return new WeaveOptions(false, JDK);
  }

  /** Returns these options with strict mode on or off. */
  public WeaveOptions withStrict(final boolean on) {
    return new WeaveOptions(on, unwoven);
  }

  /** Returns these options where the classes {@code more} accepts cannot be woven either. */
  public WeaveOptions withUnwoven(final Predicate<String> more) {
    Objects.requireNonNull(more, "more");
    final Predicate<String> before = unwoven;
    return new WeaveOptions(strict, name -> before.test(name) || more.test(name));
  }
}
