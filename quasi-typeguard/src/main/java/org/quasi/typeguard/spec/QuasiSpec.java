package org.quasi.typeguard.spec;

import java.util.List;
import java.util.Objects;

/**
 * A parsed spec file: the declarative list of quasi-invariants that TypeGuard checks and later tools weave guards
 * for. The text format is described in {@code docs/SPEC.md} and read by {@link SpecParser}.
 *
 * @param version the format version from the {@code quasi-spec N} header
 * @param quasiInvariants the declared fields, in file order (a field named twice appears twice)
 * @since 0.1
 */
public record QuasiSpec(int version, List<SpecEntry> quasiInvariants) {

  /** The only format version this parser reads. */
  public static final int CURRENT_VERSION = 1;

  /** Copies the list so the spec stays immutable. */
  public QuasiSpec {
    quasiInvariants = List.copyOf(Objects.requireNonNull(quasiInvariants, "quasiInvariants"));
  }
}
