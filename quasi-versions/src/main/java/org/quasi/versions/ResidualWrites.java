package org.quasi.versions;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.quasi.specializer.Dependency;

/**
 * Finds writes to quasi-invariant fields in residual code. The specializer reads the original class files, so its
 * residual {@code putfield}s are not woven: a version that stores into a field versions rely on would bypass the
 * guard, and the version manager declines it.
 */
final class ResidualWrites {

  private ResidualWrites() {
  }

  /**
   * Returns {@code Owner.field} of the first write in {@code classFile} to a field named by {@code quasiInvariants}
   * or by a dependency, by simple name and owner, or {@code null}. Conservative: a write through a subclass
   * reference to an inherited field matches by name when the owner is a subclass of a declared one.
   */
  static String firstWriteTo(final byte[] classFile, final Map<Class<?>, List<String>> quasiInvariants,
      final List<Dependency> deps) {
    final Set<String> names = new HashSet<>();
    for (final Map.Entry<Class<?>, List<String>> e : quasiInvariants.entrySet()) {
      names.addAll(e.getValue());
    }
    for (final Dependency d : deps) {
      if (d.field() != null) {
        names.add(d.field());
      }
    }
    final String[] found = new String[1];
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(final int access, final String name, final String desc,
          final String signature, final String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitFieldInsn(final int opcode, final String owner, final String field, final String fd) {
            if ((opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC) && found[0] == null
                && names.contains(field)) {
              found[0] = Type.getObjectType(owner).getClassName() + "." + field;
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return found[0];
  }
}
