package org.quasi.bench.memguard;

import java.util.Set;
import org.quasi.agent.GuardSpec;
import org.quasi.agent.WeavingClassLoader;
import org.quasi.memguard.TrappingClassLoader;

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
}
