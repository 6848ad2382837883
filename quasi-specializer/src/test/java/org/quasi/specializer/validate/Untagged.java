package org.quasi.specializer.validate;

import static org.objectweb.asm.Opcodes.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * Writes a class file whose generic signatures do not match their descriptors: fewer parameters, as Scala 3 writes
 * them for methods with a context parameter ({@code IArray.appended(arr, x)(using ClassTag)}: the signature leaves the
 * tag out), and type variables for primitives, as Scala 2.13 writes them for a specialized {@code max(double,
 * double)}.
 * <pre>{@code
 * package untagged;
 * public final class Untagged {
 *   public final int size;
 *   public Untagged(int size, String tag) { this.size = size; }  // signature (I)V
 *   public static int pick(Object a, int b, Object tag) { return b + 1; }  // signature (Ljava/lang/Object;)I
 *   public int grown(int by, Object tag) { return size + by; }  // signature (I)I
 *   public static double larger(double a, double b) { return Math.max(a, b); }  // signature <U:Ljava/lang/Object;>(TU;TU;)TU;
 * }
 * }</pre>
 */
final class Untagged {
  private Untagged() {
  }

  /** Writes {@code untagged/Untagged.class} under {@code dir}. */
  static void write(final Path dir) throws IOException {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, "untagged/Untagged", null, "java/lang/Object", null);
    cw.visitField(ACC_PUBLIC | ACC_FINAL, "size", "I", null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "(ILjava/lang/String;)V", "(I)V", null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ILOAD, 1);
    mv.visitFieldInsn(PUTFIELD, "untagged/Untagged", "size", "I");
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "pick", "(Ljava/lang/Object;ILjava/lang/Object;)I",
        "(Ljava/lang/Object;)I", null);
    mv.visitCode();
    mv.visitVarInsn(ILOAD, 1);
    mv.visitInsn(ICONST_1);
    mv.visitInsn(IADD);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PUBLIC, "grown", "(ILjava/lang/Object;)I", "(I)I", null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitFieldInsn(GETFIELD, "untagged/Untagged", "size", "I");
    mv.visitVarInsn(ILOAD, 1);
    mv.visitInsn(IADD);
    mv.visitInsn(IRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "larger", "(DD)D", "<U:Ljava/lang/Object;>(TU;TU;)TU;", null);
    mv.visitCode();
    mv.visitVarInsn(DLOAD, 0);
    mv.visitVarInsn(DLOAD, 2);
    mv.visitMethodInsn(INVOKESTATIC, "java/lang/Math", "max", "(DD)D", false);
    mv.visitInsn(DRETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    Files.createDirectories(dir.resolve("untagged"));
    Files.write(dir.resolve("untagged/Untagged.class"), cw.toByteArray());
  }
}
