package org.quasi.agent.shadow.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MutableCallSite;
import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One probed method: its name, the count of its invocations (the sampling's clock), the number of the next invocation
 * to sample, and the count of its shadowed ones.
 *
 * <p>{@code invocations} and {@code next} are plain fields, read and written by every thread that enters the method
 * without synchronization: the probe's unsampled path must cost no more than an increment and a compare (a probed
 * method may run billions of times). In a multi-threaded program increments can be lost and which invocations are
 * sampled depends on the scheduling; in a single-threaded one the seed repeats the run.
 * {@code hash} is a hash of the name, stable from run to run (unlike the probe's number, which depends on the order
 * classes load in), so that one seed samples the same invocations of a single-threaded program.
 */
final class ShadowedMethod {
  final String owner;
  final String name;
  final String desc;
  final long hash;
  long invocations;
  long next;
  final AtomicInteger shadowed = new AtomicInteger();
  /** Set once {@code shadowed} reached the bound: later invocations skip the sampling arithmetic. */
  volatile boolean full;
  /** The probe's call site, once linked (a Java 6 class file's probe has none). */
  private MutableCallSite site;
  /** The reflective method, found at the first sampled invocation. */
  volatile Method method;

  ShadowedMethod(final String owner, final String name, final String desc) {
    this.owner = owner;
    this.name = name;
    this.desc = desc;
    final String full = display();
    long h = 1125899906842597L;
    for (int i = 0; i < full.length(); i++) {
      h = 31 * h + full.charAt(i);
    }
    this.hash = h;
  }

  /**
   * Sets {@code full}, and makes the probe's call site a no-op: a compiled caller is deoptimized once, and its next
   * compilation drops the probe. No {@link MutableCallSite#syncAll}: a thread that still sees the old target only
   * counts an invocation that is no longer sampled.
   */
  synchronized void done() {
    full = true;
    if (site != null) {
      site.setTarget(MethodHandles.empty(site.type()));
    }
  }

  /** Links {@code s} as the probe's site, a no-op already when the method is {@link #done}. */
  synchronized MutableCallSite link(final MutableCallSite s) {
    if (full) {
      s.setTarget(MethodHandles.empty(s.type()));
    }
    site = s;
    return s;
  }

  /** Owner binary name, '.', name and descriptor (the validator's form). */
  String display() {
    return owner + "." + name + desc;
  }
}
