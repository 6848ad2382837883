package org.quasi.runtime;

import java.lang.invoke.MethodHandles;
import org.quasi.runtime.internal.FunctionalShape;
import org.quasi.runtime.internal.LazyInvoker;
import org.quasi.runtime.internal.PluggableCallSite;

/**
 * A replugger whose calls cost what a direct call costs, once C2 has compiled the caller.
 *
 * <p>The invoker is an instance of a small hidden class generated for this replugger; its method calls the
 * {@code dynamicInvoker} of a {@link java.lang.invoke.MutableCallSite}, which it loads as a class-data constant. When
 * the invoker is a constant to the caller (held in a {@code static final} field), C2 inlines the current target and
 * records a dependency on the call site.
 *
 * <p><b>Replug.</b> {@link #replug} sets the call site's target, which makes HotSpot deoptimize every compiled method
 * that inlined the old target, then synchronizes the site ({@code MutableCallSite.syncAll}). A call that
 * happens-after the return of {@code replug} (made by the replugging thread, or by a thread that learned of the replug
 * through any synchronization: a lock, a volatile, a queue) runs the new target. Other threads see the new target
 * eventually, as {@code syncAll} specifies; on HotSpot, at once, since setting the target deoptimizes the code that
 * inlined the old one. Calls that had already entered the old target may still be running it; use
 * {@link CountingReplugger} to wait for them. Concurrent replugs are serialized.
 *
 * <p><b>Cost.</b> A call: a direct call, usually inlined. A replug: a deoptimization of the compiled callers
 * (a handshake with every thread) and their later recompilation; replugging thousands of times a second defeats the
 * purpose. Making one: a call site and its first plug; the invoker's hidden class (written with ASM, defined, its
 * constant linked: up to about half a millisecond while that code is cold) is defined by the first
 * {@link #invoker()} call, in the calling thread, so a replugger whose invoker is never asked for (the version
 * manager's, when it calls {@link #target()} itself) never defines it. The lookup is checked when the replugger is
 * made, so the factories refuse a lookup that could not define the invoker, as before.
 *
 * @param <T> the functional interface being replugged
 * @since 0.1
 */
public final class SimpleReplugger<T> implements Replugger<T> {

  /** The interface being replugged. */
  private final Class<T> type;

  /** The call site the invoker goes through. */
  private final PluggableCallSite site;

  /** The object callers call, defined on first use. */
  private final LazyInvoker invoker;

  SimpleReplugger(final MethodHandles.Lookup lookup, final Class<T> type, final T initial) {
    final FunctionalShape shape = FunctionalShape.of(type);
    this.type = type;
    this.site = new PluggableCallSite(lookup, shape, initial);
    this.invoker = new LazyInvoker(lookup, shape, site, null, "SimpleReplugger<" + type.getName() + ">");
  }

  @Override
  public Class<T> type() {
    return type;
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first call defines the invoker's hidden class (see the class comment's cost); any thread may make it, and
   * every thread gets the same instance.
   */
  @Override
  public T invoker() {
    return type.cast(invoker.get());
  }

  @Override
  public T target() {
    return type.cast(site.target());
  }

  /**
   * Plugs {@code newTarget}. Every call that starts after this returns runs it; calls already running the old target
   * are not waited for.
   */
  @Override
  public void replug(final T newTarget) {
    site.plug(newTarget);
  }

  @Override
  public String toString() {
    return "SimpleReplugger<" + type.getName() + "> -> " + site.target();
  }
}
