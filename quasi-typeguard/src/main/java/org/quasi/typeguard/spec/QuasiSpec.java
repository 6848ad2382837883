package org.quasi.typeguard.spec;

import java.util.List;
import java.util.Objects;

/**
 * A parsed spec file: the declarative list of quasi-invariants that TypeGuard checks and later tools weave guards
 * for. The text format is described in {@code docs/SPEC.md} and read by {@link SpecParser}.
 *
 * @param version the format version from the {@code quasi-spec N} header
 * @param quasiInvariants the declared fields, in file order (a field named twice appears twice)
 * @param entryPoints the declared entry points (format 2's {@code entry} lines), in file order
 * @since 0.1
 */
public record QuasiSpec(int version, List<SpecEntry> quasiInvariants, List<SpecEntryPoint> entryPoints) {

  /** The newest format version this parser reads (it also reads every older one). */
  public static final int CURRENT_VERSION = 2;

  /** The oldest format version this parser reads. */
  public static final int OLDEST_VERSION = 1;

  /** Copies the lists so the spec stays immutable. */
  public QuasiSpec {
    quasiInvariants = List.copyOf(Objects.requireNonNull(quasiInvariants, "quasiInvariants"));
    entryPoints = List.copyOf(Objects.requireNonNull(entryPoints, "entryPoints"));
  }

  /** A spec with quasi-invariants only (any version). */
  public QuasiSpec(final int version, final List<SpecEntry> quasiInvariants) {
    this(version, quasiInvariants, List.of());
  }
}
