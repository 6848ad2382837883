package org.quasi.cases.signals;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The variants of the signals case, side by side: each boots a kernel that must behave exactly like the generic one.
 * Tests and benchmarks iterate over {@link #values()}, so a new variant is one more constant here (and one more
 * value of the benchmarks' {@code variant} parameter).
 */
public enum Variant {

  /** The port, untouched: {@link Kernel}. */
  GENERIC(Kernel::new),

  /** The paper's hand specialization: {@link HandKernel}. */
  HAND(HandKernel::new),

  /**
   * The generic kernel specialized by Quasi from {@code signals.spec}: {@link QuasiKernel}. Found reflectively, so
   * that the other variants run without Quasi's modules on the class path; needs the kernel's classes woven by the
   * agent (its boot says how when they are not).
   */
  QUASI(Variant::bootQuasi);

  /** Boots a kernel of this variant. */
  private final Supplier<Kernel> boot;

  Variant(final Supplier<Kernel> boot) {
    this.boot = boot;
  }

  /**
   * Boots a fresh kernel: the idle task and init (pid 1, root), with init current.
   *
   * @return the kernel
   */
  public Kernel boot() {
    return boot.get();
  }

  private static Kernel bootQuasi() {
    try {
      return (Kernel) Class.forName(Variant.class.getPackageName() + ".QuasiKernel")
          .getDeclaredConstructor().newInstance();
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("booting the Quasi kernel failed: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the Quasi variant needs quasi-versions and quasi-typeguard on the class path: "
          + e, e);
    }
  }

  /**
   * The variant named by a benchmark parameter or a command-line option.
   *
   * @param name {@code generic}, {@code hand}, … (any case)
   * @return the variant
   * @throws IllegalArgumentException naming the known variants when {@code name} is none of them
   */
  public static Variant named(final String name) {
    for (Variant v : values()) {
      if (v.name().equalsIgnoreCase(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown variant '" + name + "'; known variants: "
        + Arrays.toString(values()).toLowerCase(Locale.ROOT));
  }

  /**
   * @return the name used in benchmark parameters and tables, in lower case
   */
  public String paramName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
