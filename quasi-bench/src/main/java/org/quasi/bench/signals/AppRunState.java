package org.quasi.bench.signals;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the app benchmarks share: a kernel of each variant freshly booted before each run, with the program started
 * ({@link AppRun}). Each benchmark says how many items its program moves.
 */
@State(Scope.Thread)
public abstract class AppRunState {

  /** Which kernel: a {@link org.quasi.cases.signals.Variant}'s parameter name. */
  @Param({"generic", "hand", "quasi"})
  public String variant;

  /** The run to measure, booted for each invocation. */
  protected AppRun run;

  /** The items the program moves. */
  protected abstract int items();

  @Setup(Level.Invocation)
  public void boot() {
    run = AppRun.boot(variant, items());
  }
}
