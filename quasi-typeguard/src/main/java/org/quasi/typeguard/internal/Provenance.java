package org.quasi.typeguard.internal;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.tree.analysis.Value;

/**
 * A value in the {@link ProvenanceInterpreter}'s frames: its size in slots and the set of facts about its origin.
 *
 * @param size 1 or 2
 * @param atoms the facts; never empty
 */
public record Provenance(int size, Set<Atom> atoms) implements Value {

  /** An untraceable one-slot value. */
  public static final Provenance UNKNOWN_1 = new Provenance(1, Set.of(Atom.UNKNOWN));

  /** An untraceable two-slot value. */
  public static final Provenance UNKNOWN_2 = new Provenance(2, Set.of(Atom.UNKNOWN));

  /** Copies the set. */
  public Provenance {
    atoms = Set.copyOf(atoms);
  }

  /**
   * Makes a one-slot value with one fact.
   *
   * @param atom the fact
   * @return the value
   */
  public static Provenance of(final Atom atom) {
    return new Provenance(1, Set.of(atom));
  }

  /**
   * Makes an untraceable value.
   *
   * @param size 1 or 2
   * @return the value
   */
  public static Provenance unknown(final int size) {
    return size == 2 ? UNKNOWN_2 : UNKNOWN_1;
  }

  /**
   * Unites the facts of two values.
   *
   * @param other the other value
   * @return a value holding both sets of facts
   */
  public Provenance union(final Provenance other) {
    if (other.atoms.equals(atoms)) {
      return this;
    }
    final Set<Atom> all = new HashSet<>(atoms);
    all.addAll(other.atoms);
    return new Provenance(size, all);
  }

  /** {@return whether the value may be the receiver} */
  public boolean mayBeThis() {
    return atoms.contains(Atom.THIS);
  }

  @Override
  public int getSize() {
    return size;
  }
}
