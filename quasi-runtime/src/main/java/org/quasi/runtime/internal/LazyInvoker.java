package org.quasi.runtime.internal;

import java.lang.invoke.MethodHandles;

/**
 * A replugger's invoker, defined on first use: the simple and the counting replugger hold one, so that a replugger
 * whose invoker nobody asks for (a version manager that calls the plugged target itself) never defines the hidden
 * class behind it: writing the class with ASM, defining it and linking its class-data constant cost up to about half
 * a millisecond while that code is still cold (an application that meets new keys early in its life).
 *
 * <p>The lookup and the interface are checked when this is made ({@link InvokerClasses#check}), so a lookup that
 * cannot serve is refused where the replugger is created, as when the invoker was defined there. {@link #get} defines
 * the class once, under this object's own monitor (never the replugger's, which plugging holds), and publishes the
 * instance through a volatile field: every caller, in any thread, gets the same instance.
 */
public final class LazyInvoker {

  /** The lookup the class is defined through, checked. */
  private final MethodHandles.Lookup lookup;

  /** The interface and its method. */
  private final FunctionalShape shape;

  /** The site the invoker calls through. */
  private final PluggableCallSite site;

  /** Where every call is counted (a counting replugger), or {@code null}. */
  private final InFlightCalls counted;

  /** What the invoker's {@code toString} returns. */
  private final String description;

  /** The invoker, once defined; written once, under this object's monitor. */
  private volatile Object invoker;

  /**
   * Checks that the invoker can be defined, and defines nothing yet.
   *
   * @param lookup where the class is defined; {@code null} for Quasi's own runtime package
   * @throws IllegalArgumentException as {@link InvokerClasses#check}
   */
  public LazyInvoker(final MethodHandles.Lookup lookup, final FunctionalShape shape, final PluggableCallSite site,
      final InFlightCalls counted, final String description) {
    InvokerClasses.check(lookup, shape);
    this.lookup = lookup;
    this.shape = shape;
    this.site = site;
    this.counted = counted;
    this.description = description;
  }

  /** The invoker: defined by the first call, the same instance for every later one. */
  public Object get() {
    Object i = invoker;
    if (i == null) {
      synchronized (this) {
        i = invoker;
        if (i == null) {
          i = InvokerClasses.define(lookup, shape, site.dynamicInvoker(), counted, description);
          invoker = i;
        }
      }
    }
    return i;
  }
}
