package org.quasi.agent.shadow;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.quasi.agent.shadow.internal.ShadowRun;

/**
 * What shadow mode's probes call, at the entry of every shadowed method (see {@link ShadowAgent}). Not for other
 * code: public only because probed classes of any package call it.
 *
 * <p>A probe in a class file of Java 7 or later is an {@code invokedynamic} that {@link #probe} links; in a Java 6
 * class file it calls {@link #sample} and {@link #enter}. None of them ever throws into the program: the shadow's own
 * failures are counted in its report.
 *
 * @since 0.1
 */
public final class ShadowHook {
  private static volatile ShadowRun run;

  private ShadowHook() {
  }

  /**
   * Links the probe of shadowed method {@code id}: a call site of {@code type} (the method's receiver and
   * parameters, returning void) that samples the invocations and shadows the sampled ones with {@code caller}'s
   * access, until the method was shadowed as often as allowed; from then on its target does nothing (see
   * {@code ShadowRun#probeSite}). A no-op for good when shadow mode is not running.
   */
  public static CallSite probe(final MethodHandles.Lookup caller, final String name, final MethodType type,
      final int id) {
    final ShadowRun r = run;
    return r != null ? r.probeSite(id, caller, type) : new ConstantCallSite(MethodHandles.empty(type));
  }

  /**
   * Whether this invocation of shadowed method {@code id} is sampled. Costs a counter increment and a hash; false
   * when shadow mode is not running.
   */
  public static boolean sample(final int id) {
    final ShadowRun r = run;
    return r != null && r.sample(id);
  }

  /**
   * Shadows the sampled invocation of method {@code id} on {@code arguments} (the receiver first, primitives boxed),
   * with the full-privilege {@code lookup} of the method's class. Returns when the shadow is done; the method's own
   * code then runs as it would have.
   */
  public static void enter(final int id, final Object[] arguments, final MethodHandles.Lookup lookup) {
    final ShadowRun r = run;
    if (r != null) {
      r.enter(id, arguments, lookup);
    }
  }

  static void install(final ShadowRun shadowRun) {
    run = shadowRun;
  }
}
