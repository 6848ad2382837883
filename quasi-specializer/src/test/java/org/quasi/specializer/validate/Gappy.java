package org.quasi.specializer.validate;

import static org.objectweb.asm.Opcodes.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes a class file whose method's generic signature names a class that is on no class path, as a library
 * compiled against a dependency the user left out does: reflecting on its parameter types throws
 * {@link TypeNotPresentException}, which must not end a validation.
 * <pre>{@code
 * package gappy;
 * public final class Gappy {
 *   public static int size(java.util.List<gappy.Missing> list) { return list == null ? -1 : list.size(); }
 *   public static int twice(int x) { return 2 * x; }
 * }
 * }</pre>
 */
final class Gappy {
  private Gappy() {
  }

  /** Writes {@code gappy/Gappy.class} under {@code dir}. */
  static void write(final Path dir) throws IOException {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "gappy/Gappy", null, "java/lang/Object", null);
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "size", "(Ljava/util/List;)I",
        "(Ljava/util/List<Lgappy/Missing;>;)I", null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    final org.objectweb.asm.Label some = new org.objectweb.asm.Label();
    mv.visitJumpInsn(IFNONNULL, some);
    mv.visitInsn(ICONST_M1);
    mv.visitInsn(IRETURN);
    mv.visitLabel(some);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKEINTERFACE, "java/util/List", "size", "()I", true);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "twice", "(I)I", null, null);
    mv.visitCode();
    mv.visitInsn(ICONST_2);
    mv.visitVarInsn(ILOAD, 0);
    mv.visitInsn(IMUL);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    Files.createDirectories(dir.resolve("gappy"));
    Files.write(dir.resolve("gappy/Gappy.class"), cw.toByteArray());
  }
}
