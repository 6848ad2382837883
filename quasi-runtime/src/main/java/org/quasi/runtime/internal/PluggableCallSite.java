package org.quasi.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;

/**
 * A {@link MutableCallSite} whose target is "call the functional method on this object": the part the simple and
 * the counting replugger share.
 *
 * <p>{@link #plug(Object)} sets the target and then {@linkplain MutableCallSite#syncAll synchronizes} the site, so
 * that once it returns every thread's next call through {@link #dynamicInvoker()} runs the new target. HotSpot
 * deoptimizes the compiled code that inlined the old target while setting it; that is the cost of a replug.
 */
public final class PluggableCallSite {

  /** The interface and its method. */
  private final FunctionalShape shape;

  /** {@code (T, args) -> R}: the functional method as a virtual handle. */
  private final MethodHandle call;

  /** The site the invoker calls through. */
  private final MutableCallSite site;

  /** The plugged object. Written only under {@code this}'s lock in {@link #plug}; volatile for {@link #target()}. */
  private volatile Object target;

  /**
   * Creates a site plugged with {@code initial}.
   *
   * @param lookup used to find the functional method; {@code null} for the public lookup
   */
  public PluggableCallSite(final MethodHandles.Lookup lookup, final FunctionalShape shape, final Object initial) {
    this.shape = shape;
    this.call = shape.virtualHandle(lookup);
    this.site = new MutableCallSite(shape.methodType());
    plug(initial);
  }

  /** The handle that calls the current target; a constant to the JIT once the site is. */
  public MethodHandle dynamicInvoker() {
    return site.dynamicInvoker();
  }

  /** The plugged object. */
  public Object target() {
    return target;
  }

  /** Plugs {@code newTarget} after checking its type; see the class comment for what is guaranteed on return. */
  public synchronized void plug(final Object newTarget) {
    shape.checkTarget(newTarget);
    site.setTarget(call.bindTo(newTarget));
    MutableCallSite.syncAll(new MutableCallSite[] {site});
    target = newTarget;
  }
}
