package org.quasi.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;
import org.quasi.typeguard.spec.SpecEntryPoint;
import org.quasi.typeguard.spec.SpecException;
import org.quasi.typeguard.spec.SpecParser;

/**
 * The quasi-invariant fields whose writes the weaver guards: those a spec file declares ({@code docs/SPEC.md}) and
 * those annotated {@link org.quasi.runtime.QuasiInvariant} in the class files the weaver reads.
 *
 * <p>A spec entry names the field as a {@code getfield} would (its owner may be a subclass of the declaring class);
 * the weaver resolves it against the class files when it meets a write site.
 *
 * <p>The spec's {@code entry} lines (format 2) are kept too: the weaver turns each named method into a specialized
 * entry point ({@code org.quasi.versions.EntryBootstrap}), whose versions may fold the spec's quasi-invariants.
 *
 * @param declared    spec entries as (internal owner name, field name) pairs, {@code owner + "." + field}
 * @param entryPoints the spec's entry lines
 * @since 0.1
 */
public record GuardSpec(Set<String> declared, List<SpecEntryPoint> entryPoints) {

  public GuardSpec {
    declared = Set.copyOf(declared);
    entryPoints = List.copyOf(entryPoints);
  }

  /** Guards the {@code declared} fields, with no entry point. */
  public GuardSpec(final Set<String> declared) {
    this(declared, List.of());
  }

  /** Only the {@code @QuasiInvariant} annotations. */
  public static GuardSpec annotationsOnly() {
    return new GuardSpec(Set.of());
  }

  /** The declared quasi-invariants as binary names, {@code com.x.Task.uid}: what an entry point may fold. */
  public List<String> quasiInvariantNames() {
    final List<String> names = new java.util.ArrayList<>();
    for (final String d : declared) {
      names.add(d.replace('/', '.'));
    }
    return names;
  }

  /**
   * The spec file at {@code file}, plus the annotations.
   *
   * @throws SpecException for a malformed file ({@code FILE:LINE: what was expected})
   */
  public static GuardSpec read(final Path file) throws SpecException, IOException {
    return of(SpecParser.parse(file));
  }

  /** The entries of a parsed spec, plus the annotations. */
  public static GuardSpec of(final QuasiSpec spec) {
    final Set<String> set = new LinkedHashSet<>();
    for (final SpecEntry e : spec.quasiInvariants()) {
      set.add(e.owner().replace('.', '/') + "." + e.name());
    }
    return new GuardSpec(set, spec.entryPoints());
  }

  /** Whether the spec names {@code field} with {@code owner} (internal name) as written, before resolution. */
  boolean names(final String owner, final String field) {
    return declared.contains(owner + "." + field);
  }
}
