package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.ref.WeakReference;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;

/**
 * What the specializer remembers across requests (class files read, method facts, resolved members, getters) does not
 * keep the classes it read alive: a class loader whose classes were specialized, once nothing else holds it, is
 * unloaded. A long differential run, which defines each program in a loader of its own, was killed for memory after
 * tens of thousands of programs, every loader still reachable from the process-wide class repository.
 */
class ClassUnloadingTest {
  private static final String NAME = "unloading/Target";

  @Test
  void aLoaderWhoseClassWasSpecializedIsUnloadedOnceUnreferenced() throws Exception {
    final WeakReference<ClassLoader> loader = specializeInALoaderOfItsOwn();
    for (int i = 0; i < 40 && loader.get() != null; i++) {
      System.gc();
      Thread.sleep(25);
    }
    assertThat(loader.get()).as("the loader of a class the specializer read, after every reference was dropped")
        .isNull();
  }

  /** Specializes {@code f(t, x) = t.v * x + 1} on a known t of a fresh loader, runs it, and forgets all but the loader. */
  private static WeakReference<ClassLoader> specializeInALoaderOfItsOwn() throws Exception {
    final ClassLoader loader = new OneClassLoader(target());
    final Class<?> c = loader.loadClass(NAME.replace('/', '.'));
    final Object t = c.getConstructor().newInstance();
    c.getField("v").setInt(t, 3);
    final MethodHandles.Lookup lookup = (MethodHandles.Lookup) c.getMethod("lookup").invoke(null);
    final Specialization<IntUnaryOperator> s = Specializer.of(lookup).method(c.getMethod("f", c, int.class))
        .known(0, t).quasiInvariant(c, "v").as(IntUnaryOperator.class).specialize();
    assertThat(s.function().applyAsInt(5)).isEqualTo(16);
    return new WeakReference<>(loader);
  }

  /** {@code public class Target { public int v; public static int f(Target t, int x); public static Lookup lookup(); }}. */
  private static byte[] target() {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(V17, ACC_PUBLIC | ACC_SUPER, NAME, null, "java/lang/Object", null);
    cw.visitField(ACC_PUBLIC, "v", "I", null, null).visitEnd();
    MethodVisitor m = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    m.visitVarInsn(ALOAD, 0);
    m.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    m.visitInsn(RETURN);
    m.visitMaxs(0, 0);
    m = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "f", "(L" + NAME + ";I)I", null, null);
    m.visitVarInsn(ALOAD, 0);
    m.visitFieldInsn(GETFIELD, NAME, "v", "I");
    m.visitVarInsn(ILOAD, 1);
    m.visitInsn(IMUL);
    m.visitInsn(ICONST_1);
    m.visitInsn(IADD);
    m.visitInsn(IRETURN);
    m.visitMaxs(0, 0);
    m = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;", null, null);
    m.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup",
        "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
    m.visitInsn(ARETURN);
    m.visitMaxs(0, 0);
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Defines the one class and serves its class file, which the specializer reads. */
  private static final class OneClassLoader extends ClassLoader {
    private final byte[] bytes;

    OneClassLoader(final byte[] bytes) {
      super("unloading", ClassUnloadingTest.class.getClassLoader());
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(final String n) throws ClassNotFoundException {
      if (!n.equals(NAME.replace('/', '.'))) {
        throw new ClassNotFoundException(n);
      }
      return defineClass(n, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(final String resource) {
      return resource.equals(NAME + ".class") ? new ByteArrayInputStream(bytes) : super.getResourceAsStream(resource);
    }
  }
}
