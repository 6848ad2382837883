package org.quasi.bench.memguard;

import java.util.Set;
import java.util.function.IntSupplier;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.memguard.TrappingClassLoader;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;

/** {@link MemCell} three ways: as compiled, woven with a guard on {@code value}, and trapped by MemGuard. */
final class Cells {

  private static final String CELL = MemCell.class.getName();

  private Cells() {}

  static IntCell plain() {
    return new MemCell();
  }

  /** A loader of the woven cell (one per benchmark state: each holds its own copy of the class). */
  static ClassLoader wovenLoader() {
    return new WeavingClassLoader(Cells.class.getClassLoader(),
        new GuardSpec(Set.of(CELL.replace('.', '/') + ".value")), CELL::equals);
  }

  /** A loader of the trapped cell: its putfield goes through MemGuard's check. */
  static ClassLoader trappingLoader() {
    return new TrappingClassLoader(Cells.class.getClassLoader(), CELL::equals, null);
  }

  static IntCell newCell(final ClassLoader loader) {
    try {
      return (IntCell) loader.loadClass(CELL).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot load " + CELL + " through " + loader + ": " + e, e);
    }
  }

  /**
   * The workloads' function: a version specialized on a plain key cell holding 7 (it returns 21), plugged, and the
   * replugger's invoker. Nothing else writes the key, so the version stays plugged for the whole trial.
   */
  static IntSupplier specializedOnKey() {
    final IntCell key = plain();
    key.set(7);
    final SimpleReplugger<IntSupplier> replugger = Replugger.simple(IntSupplier.class, key::get);
    final Version<IntSupplier> v = Version.of(replugger, () -> 7 * 3, () -> key.get() * 3, "key 7");
    v.dependOn(key, MemCell.class, "value");
    if (!v.plug(() -> key.get() == 7)) {
      throw new IllegalStateException("the version was not plugged: nothing else writes the key");
    }
    return replugger.invoker();
  }
}
