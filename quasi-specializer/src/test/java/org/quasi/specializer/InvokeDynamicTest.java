package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.quasi.specializer.validate.internal.ProbeLoader;

/** Residual {@code invokedynamic}s link from the hidden class exactly as they did in the original. */
class InvokeDynamicTest {
  private static final String HOLDER = "lambdas/LambdaHolder";

  /** A function from the holder (the receiver) to the lambda it makes; residual code implements it. */
  public interface MakeSupplier {
    Object apply(Object holder);
  }

  /**
   * Builds, as a Java 8 compiler does, {@code class LambdaHolder { int x = 41;
   * Supplier<Object> supplier() { return () -> x + 1; } }}: the lambda's body is the private instance method
   * {@code lambda$0}, and its handle is {@code REF_invokeSpecial}, which only LambdaHolder itself may resolve.
   */
  private static byte[] holder() {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, HOLDER, null, "java/lang/Object", null);
    cw.visitField(ACC_PUBLIC, "x", "I", null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitIntInsn(BIPUSH, 41);
    mv.visitFieldInsn(PUTFIELD, HOLDER, "x", "I");
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PRIVATE | ACC_SYNTHETIC, "lambda$0", "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitFieldInsn(GETFIELD, HOLDER, "x", "I");
    mv.visitInsn(ICONST_1);
    mv.visitInsn(IADD);
    mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_PUBLIC, "supplier", "()Ljava/util/function/Supplier;", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    final Handle metafactory = new Handle(H_INVOKESTATIC, "java/lang/invoke/LambdaMetafactory", "metafactory",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "Ljava/lang/invoke/MethodType;Ljava/lang/invoke/MethodHandle;Ljava/lang/invoke/MethodType;)"
            + "Ljava/lang/invoke/CallSite;", false);
    mv.visitInvokeDynamicInsn("get", "(L" + HOLDER + ";)Ljava/util/function/Supplier;", metafactory,
        Type.getType("()Ljava/lang/Object;"),
        new Handle(H_INVOKESPECIAL, HOLDER, "lambda$0", "()Ljava/lang/Object;", false),
        Type.getType("()Ljava/lang/Object;"));
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  @TempDir
  static Path classes;
  private static ProbeLoader loader;

  /** LambdaHolder, loaded from a class file (the specializer reads it) by a loader that gives a full lookup in it. */
  private static synchronized Class<?> holderClass() throws Exception {
    if (loader == null) {
      Files.createDirectories(classes.resolve("lambdas"));
      Files.write(classes.resolve(HOLDER + ".class"), holder());
      loader = new ProbeLoader(new URL[] {classes.toUri().toURL()}, InvokeDynamicTest.class.getClassLoader());
    }
    return loader.loadClass(HOLDER.replace('/', '.'));
  }

  @AfterAll
  static void close() throws java.io.IOException {
    if (loader != null) {
      loader.close();
    }
  }

  @Test
  void lambdaOnPrivateMethodWithSpecialHandleLinksFromResidualCode() throws Exception {
    final Class<?> c = holderClass();
    final Object h = c.getConstructor().newInstance();
    final MethodHandles.Lookup lookup = loader.lookupIn(c);
    final Specialization<MakeSupplier> s = Specializer.of(lookup).method(c, "supplier").as(MakeSupplier.class)
        .specialize();
    assertThat(s.dump()).contains("INVOKEDYNAMIC", "lambda$0").doesNotContain("H_INVOKESPECIAL");
    assertThat(((Supplier<?>) s.function().apply(h)).get()).isEqualTo(42);
  }

  /** The residual code of supplier() on a known receiver: no argument, returns the lambda. */
  public interface KnownSupplier {
    Object get();
  }

  @Test
  void lambdaOnKnownReceiverCapturesThatReceiver() throws Exception {
    final Class<?> c = holderClass();
    final Object h = c.getConstructor().newInstance();
    final MethodHandles.Lookup lookup = loader.lookupIn(c);
    final KnownSupplier f = Specializer.of(lookup).method(c, "supplier").known(0, h).as(KnownSupplier.class)
        .specialize().function();
    c.getField("x").setInt(h, 9);
    assertThat(((Supplier<?>) f.get()).get()).as("the lambda reads x when called, as the original's does")
        .isEqualTo(10);
  }
}
