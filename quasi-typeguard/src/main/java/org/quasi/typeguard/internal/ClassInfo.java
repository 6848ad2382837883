package org.quasi.typeguard.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;

/**
 * The header of a class as far as field resolution and subtyping need it.
 *
 * @param name internal name
 * @param superName internal name of the superclass, {@code null} for {@code java/lang/Object} and modules
 * @param interfaces internal names of the direct superinterfaces
 * @param access the class access flags
 * @param fields the declared fields
 * @param sourceFile the SourceFile attribute or {@code null}
 * @param entry the class path entry it came from ({@code jrt:/MODULE} for the platform)
 * @param path its path inside that entry
 * @param analysed whether the class is part of the analysed class path (as opposed to the platform, read only to
 *     resolve the hierarchy)
 */
public record ClassInfo(String name, String superName, List<String> interfaces, int access, List<FieldDecl> fields,
    String sourceFile, String entry, String path, boolean analysed) {

  /**
   * A declared field.
   *
   * @param name the field name
   * @param desc its descriptor
   * @param access its access flags
   * @param quasiInvariant whether it carries {@code @org.quasi.runtime.QuasiInvariant}
   */
  public record FieldDecl(String name, String desc, int access, boolean quasiInvariant) {

    /** {@return whether the field is static} */
    public boolean isStatic() {
      return (access & Opcodes.ACC_STATIC) != 0;
    }
  }

  /** Copies the lists. */
  public ClassInfo {
    interfaces = List.copyOf(interfaces);
    fields = List.copyOf(fields);
  }

  /**
   * Finds a declared field by name.
   *
   * @param fieldName the name
   * @return the declaration, or {@code null}
   */
  public FieldDecl field(final String fieldName) {
    for (final FieldDecl f : fields) {
      if (f.name.equals(fieldName)) {
        return f;
      }
    }
    return null;
  }

  /** {@return whether this is an interface} */
  public boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }
}
