package org.quasi.specializer.internal;

import java.util.Optional;
import java.util.Set;
import org.objectweb.asm.Type;

/**
 * Boxing on known values, with Java's identity semantics kept. {@code Integer.valueOf(v)} and its siblings return a
 * shared cached instance for some values (always -128..127, {@code true}/{@code false}, chars up to 127; more when
 * the JVM's box cache is enlarged) and a fresh object for the others. A box folds to a constant only when it is
 * shared: the call is run twice now, and folds when both runs return the same instance, which every later call in
 * this JVM returns too (the caches never change once built). A fresh box is left to a residual call, since folding it
 * would make one shared object of what the original allocates anew each time, and {@code ==} could tell.
 *
 * <p>With escape analysis this is one rule for every box: a box's identity is only ever decided by running
 * {@code valueOf}. On a known value, here, now, folding only to an instance shared by every call. On a run-time
 * value, the box is virtual ({@link VirtualOps#box}): materializing it replays the {@code valueOf} call, so the
 * residual code gets a cached or a fresh box exactly when the original would; and {@code ==} between a virtual box
 * and any other value is never folded ({@link VirtualOps#referenceTest}), as two boxes of equal values may or may
 * not be the same object. A fresh box never becomes a shared constant, and a possibly shared box is never assumed
 * distinct.
 *
 * <p>{@code Float.valueOf}/{@code Double.valueOf} never share, so they never fold. Unboxing ({@code intValue()} and
 * the like) folds as any pure method ({@link Purity}).
 */
final class Boxes {
  private static final Set<String> WRAPPERS = Set.of("java/lang/Integer", "java/lang/Long", "java/lang/Short",
      "java/lang/Byte", "java/lang/Character", "java/lang/Boolean");

  private Boxes() {
  }

  /**
   * Returns the shared box {@code owner.valueOf(primitive)} returns for these known arguments, or empty when this is
   * not such a call or the box would be a fresh object.
   */
  static Optional<Object> shared(final Class<?> owner, final String name, final String desc, final Object[] args) {
    final String internal = Type.getInternalName(owner);
    final Type[] params = Type.getArgumentTypes(desc);
    if (!name.equals("valueOf") || !WRAPPERS.contains(internal) || params.length != 1
        || params[0].getSort() > Type.DOUBLE || !Type.getReturnType(desc).getInternalName().equals(internal)) {
      return Optional.empty();
    }
    final Optional<Object> first = Purity.run(owner, name, desc, true, args);
    final Optional<Object> second = Purity.run(owner, name, desc, true, args);
    return first.isPresent() && second.isPresent() && first.get() == second.get() ? first : Optional.empty();
  }
}
