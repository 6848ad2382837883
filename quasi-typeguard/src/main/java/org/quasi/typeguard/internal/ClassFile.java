package org.quasi.typeguard.internal;

import java.util.Objects;

/**
 * The bytes of one class file and where they came from.
 *
 * @param internalName the class's internal name as implied by its path ({@code com/x/Task}); the header may disagree
 *     in a broken jar, which the scanner reports
 * @param entry the class path entry label: a directory, a jar, or {@code jrt:/MODULE}
 * @param path the path inside the entry, with slashes, such as {@code com/x/Task.class}
 * @param bytes the class file; must not be modified
 */
public record ClassFile(String internalName, String entry, String path, byte[] bytes) {

  /** Checks that nothing is null. */
  public ClassFile {
    Objects.requireNonNull(internalName, "internalName");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(bytes, "bytes");
  }
}
