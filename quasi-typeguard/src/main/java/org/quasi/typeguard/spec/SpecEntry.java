package org.quasi.typeguard.spec;

import java.util.Objects;

/**
 * One declaration of a spec file: a quasi-invariant field and the line that declared it.
 *
 * @param owner the binary name of the class that names the field, with dots ({@code com.x.Outer$Inner})
 * @param name the field name
 * @param file the spec file the entry came from
 * @param line the 1-based line of that file
 * @since 0.1
 */
public record SpecEntry(String owner, String name, String file, int line) {

  /** Checks that nothing is null. */
  public SpecEntry {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
  }

  /** {@return {@code owner.name}, the form the command line takes} */
  public String qualifiedName() {
    return owner + "." + name;
  }
}
