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
 *
 * <p>The call site itself is made when {@link #dynamicInvoker()} is first asked for, plugged with the target of
 * that moment. A replugger whose invoker is never defined (a version manager that calls its versions' targets
 * directly, see {@code Replugger#target}) thus costs a volatile field, not a call site, a method handle lookup and
 * a call into the JVM at each plug: the work a version manager would otherwise do for every key of every run.
 */
public final class PluggableCallSite {

  /** The interface and its method. */
  private final FunctionalShape shape;

  /** Finds the functional method, when the site is made; {@code null} for the public lookup. */
  private final MethodHandles.Lookup lookup;

  /** {@code (T, args) -> R}: the functional method as a virtual handle; made with the site. Guarded by this. */
  private MethodHandle call;

  /** The site the invoker calls through, once asked for; guarded by this. */
  private MutableCallSite site;

  /** The plugged object. Written only under {@code this}'s lock in {@link #plug}; volatile for {@link #target()}. */
  private volatile Object target;

  /**
   * Creates a site plugged with {@code initial}.
   *
   * @param lookup used to find the functional method; {@code null} for the public lookup
   */
  public PluggableCallSite(final MethodHandles.Lookup lookup, final FunctionalShape shape, final Object initial) {
    this.shape = shape;
    this.lookup = lookup;
    plug(initial);
  }

  /**
   * The handle that calls the current target; a constant to the JIT once the site is. The first call makes the site.
   *
   * @throws IllegalArgumentException when the lookup may not call the functional method
   */
  public synchronized MethodHandle dynamicInvoker() {
    if (site == null) {
      call = shape.virtualHandle(lookup);
      final MutableCallSite made = new MutableCallSite(shape.methodType());
      made.setTarget(call.bindTo(target));
      MutableCallSite.syncAll(new MutableCallSite[] {made});
      site = made;
    }
    return site.dynamicInvoker();
  }

  /** The plugged object. */
  public Object target() {
    return target;
  }

  /** Plugs {@code newTarget} after checking its type; see the class comment for what is guaranteed on return. */
  public synchronized void plug(final Object newTarget) {
    shape.checkTarget(newTarget);
    if (site != null) {
      site.setTarget(call.bindTo(newTarget));
      MutableCallSite.syncAll(new MutableCallSite[] {site});
    }
    target = newTarget;
  }
}
