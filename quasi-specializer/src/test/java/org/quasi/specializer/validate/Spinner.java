package org.quasi.specializer.validate;

import static org.objectweb.asm.Opcodes.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes a class file, outside the test's own class path so that the validator's loader defines it, whose method
 * never ends and never looks at interrupts; only a cancellation point or {@code Thread.stop} ends its thread.
 * <pre>{@code
 * package spinner;
 * public final class Spinner {
 *   public static int spin(int x) { while (true) { x++; } }
 * }
 * }</pre>
 */
final class Spinner {
  private Spinner() {
  }

  /** Writes {@code spinner/Spinner.class} under {@code dir}. */
  static void write(final Path dir) throws IOException {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "spinner/Spinner", null, "java/lang/Object", null);
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "spin", "(I)I", null, null);
    mv.visitCode();
    final Label loop = new Label();
    mv.visitLabel(loop);
    mv.visitIincInsn(0, 1);
    mv.visitJumpInsn(GOTO, loop);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    Files.createDirectories(dir.resolve("spinner"));
    Files.write(dir.resolve("spinner/Spinner.class"), cw.toByteArray());
  }
}
