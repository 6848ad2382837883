package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.objectweb.asm.Opcodes;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FieldId;

/**
 * The quasi-invariants of one run, resolved to their declaring classes, and the matching of field references and
 * reflective field objects against them.
 */
public final class Targets {

  /** How an atom relates to a quasi-invariant. */
  public enum Match { MATCH, MAYBE, NO }

  /**
   * One quasi-invariant.
   *
   * @param index its position in {@link #all()}
   * @param id the field, by declaring class
   * @param desc its descriptor
   * @param access its access flags
   * @param declaredBy how it was declared (command line, spec location, annotation)
   */
  public record Target(int index, FieldId id, String desc, int access, String declaredBy) {

    /** {@return the declaring class's internal name} */
    public String owner() {
      return id.ownerInternalName();
    }

    /** {@return the field name} */
    public String name() {
      return id.name();
    }

    /** {@return whether the field is static} */
    public boolean isStatic() {
      return (access & Opcodes.ACC_STATIC) != 0;
    }

    /** {@return whether the field holds an array} */
    public boolean isArray() {
      return desc.startsWith("[");
    }
  }

  private final List<Target> all;
  private final Map<String, List<Target>> byName = new HashMap<>();
  private final Hierarchy hierarchy;

  /**
   * Indexes the targets.
   *
   * @param all the quasi-invariants; each one's index must be its position
   * @param hierarchy for resolution
   */
  public Targets(final List<Target> all, final Hierarchy hierarchy) {
    this.all = List.copyOf(all);
    this.hierarchy = Objects.requireNonNull(hierarchy);
    for (final Target t : this.all) {
      byName.computeIfAbsent(t.name(), k -> new ArrayList<>()).add(t);
    }
  }

  /** {@return all quasi-invariants} */
  public List<Target> all() {
    return all;
  }

  /**
   * {@return the quasi-invariants with this name}
   *
   * @param name a field name
   */
  public List<Target> named(final String name) {
    return byName.getOrDefault(name, List.of());
  }

  /** {@return whether any quasi-invariant holds an array} */
  public boolean anyArray() {
    return all.stream().anyMatch(Target::isArray);
  }

  /**
   * Decides whether a field instruction's reference resolves to a quasi-invariant.
   *
   * @param t the quasi-invariant
   * @param owner the class the instruction names
   * @param name the field name
   * @param desc the descriptor
   * @return DEFINITE, POSSIBLE (the hierarchy has a hole on the way), or {@code null}
   */
  public Certainty matchRef(final Target t, final String owner, final String name, final String desc) {
    if (!t.name().equals(name) || !t.desc().equals(desc)) {
      return null;
    }
    if (t.owner().equals(owner)) {
      return Certainty.DEFINITE;
    }
    final Hierarchy.Resolution r = hierarchy.resolveField(owner, name, desc);
    if (t.owner().equals(r.declaringClass())) {
      return Certainty.DEFINITE;
    }
    return r.declaringClass() == null && r.incomplete() ? Certainty.POSSIBLE : null;
  }

  /**
   * Decides whether a reflective field object (or the field behind a handle) may be a quasi-invariant.
   *
   * @param t the quasi-invariant
   * @param field the traced field object
   * @return the relation
   */
  public Match matchField(final Target t, final Atom.FieldObj field) {
    final Match name;
    if (field.name() instanceof Atom.StringConst s) {
      name = s.value().equals(t.name()) ? Match.MATCH : Match.NO;
    } else {
      name = Match.MAYBE;
    }
    if (name == Match.NO) {
      return Match.NO;
    }
    if (field.lookup() == Atom.Lookup.PUBLIC && (t.access() & Opcodes.ACC_PUBLIC) == 0) {
      return Match.NO; // getField and getFields see public fields only
    }
    final Match owner;
    if (field.owner() instanceof Atom.ClassConst c) {
      owner = matchOwner(t, c.internalName(), field.lookup(), name == Match.MATCH);
    } else {
      owner = Match.MAYBE;
    }
    if (owner == Match.NO) {
      return Match.NO;
    }
    return owner == Match.MATCH && name == Match.MATCH ? Match.MATCH : Match.MAYBE;
  }

  private Match matchOwner(final Target t, final String cls, final Atom.Lookup lookup, final boolean nameKnown) {
    if (cls.equals(t.owner())) {
      return Match.MATCH;
    }
    if (lookup == Atom.Lookup.DECLARED) {
      return Match.NO;
    }
    if (nameKnown) {
      final Hierarchy.Resolution r = hierarchy.resolveField(cls, t.name(), null);
      if (t.owner().equals(r.declaringClass())) {
        return Match.MATCH;
      }
      return r.declaringClass() == null && r.incomplete() ? Match.MAYBE : Match.NO;
    }
    // With an unknown name, any field the class inherits may be meant: a subtype of the declaring class can be.
    return switch (hierarchy.isSubtype(cls, t.owner())) {
      case YES, UNKNOWN -> Match.MAYBE;
      case NO -> Match.NO;
    };
  }

  /**
   * Judges a traced value against a quasi-invariant: DEFINITE if every fact about it that can name a field names
   * this one, POSSIBLE if some may, {@code null} if none can.
   *
   * @param t the quasi-invariant
   * @param value the value (a {@code Field}, a VarHandle, an offset...)
   * @param kind the handle kind accepted, or {@code null} to accept {@link Atom.FieldObj} facts
   * @return the certainty or {@code null}
   */
  public Certainty judge(final Target t, final Provenance value, final Atom.HandleKind kind) {
    boolean any = false;
    boolean all = true;
    for (final Atom a : value.atoms()) {
      final Match m;
      if (a == Atom.UNKNOWN) {
        m = Match.MAYBE;
      } else if (kind == null && a instanceof Atom.FieldObj f) {
        m = matchField(t, f);
      } else if (kind != null && a instanceof Atom.Handle h && h.kind() == kind) {
        m = matchField(t, h.field());
      } else {
        m = Match.NO;
      }
      if (m == Match.NO) {
        all = false;
        continue;
      }
      any = true;
      if (m == Match.MAYBE) {
        all = false;
      }
    }
    if (!any) {
      return null;
    }
    return all ? Certainty.DEFINITE : Certainty.POSSIBLE;
  }

  /**
   * Whether some fact about the value names this quasi-invariant for sure (used where merely "maybe" facts would be
   * noise and the acquisition of the handle is reported anyway).
   *
   * @param t the quasi-invariant
   * @param value the value
   * @param kind the handle kind
   * @return whether any fact matches
   */
  public boolean anyMatch(final Target t, final Provenance value, final Atom.HandleKind kind) {
    for (final Atom a : value.atoms()) {
      if (a instanceof Atom.Handle h && h.kind() == kind && matchField(t, h.field()) == Match.MATCH) {
        return true;
      }
    }
    return false;
  }
}
