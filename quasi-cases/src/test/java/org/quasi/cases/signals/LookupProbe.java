package org.quasi.cases.signals;

import java.lang.invoke.MethodHandles;

/**
 * Hands out a full-privilege lookup in the kernel's package. A test defines this class in the same class loader as a
 * woven copy of the kernel (a {@code WeavingClassLoader} owning the package), so that the version manager can define
 * the residual code as a nestmate there, as the agent's own entry points will with the lookup of the woven class.
 */
public final class LookupProbe {

  private LookupProbe() {
  }

  /** @return a lookup with full privilege in this class's package and loader */
  public static MethodHandles.Lookup lookup() {
    return MethodHandles.lookup();
  }
}
