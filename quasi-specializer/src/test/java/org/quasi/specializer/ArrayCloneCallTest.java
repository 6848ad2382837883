package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.quasi.specializer.validate.internal.ProbeLoader;

/**
 * Kotlin compiles an array's {@code clone()} (every enum's {@code values()}) as {@code invokevirtual
 * java/lang/Object.clone}, not as javac's {@code invokevirtual [LE;.clone}: the verifier lets the protected
 * {@code Object.clone} take an array receiver (arrays clone publicly, JLS 10.7) as well as one of the calling class.
 * Left residual through the lookup's {@code findVirtual} handle, which takes only the calling class, an array
 * receiver threw {@code ClassCastException} (kotlin-stdlib 2.4.21: six enums' {@code values()} diverged).
 */
class ArrayCloneCallTest {
  private static final String OWNER = "arrays/Copier";

  /**
   * Builds, as kotlinc does, {@code class Copier implements Cloneable} with {@code static int[] copy(int[] a)},
   * {@code static Object[] values()} (an enum's: a clone of a static final array) and {@code static Object
   * same(Copier c)}, each one {@code invokevirtual java/lang/Object.clone}.
   */
  private static byte[] copier() {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(V1_8, ACC_PUBLIC | ACC_SUPER, OWNER, null, "java/lang/Object", new String[] {"java/lang/Cloneable"});
    cw.visitField(ACC_PRIVATE | ACC_STATIC | ACC_FINAL, "VALUES", "[Ljava/lang/String;", null, null).visitEnd();
    MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
    mv.visitCode();
    mv.visitInsn(ICONST_2);
    mv.visitTypeInsn(ANEWARRAY, "java/lang/String");
    mv.visitInsn(DUP);
    mv.visitInsn(ICONST_0);
    mv.visitLdcInsn("A");
    mv.visitInsn(AASTORE);
    mv.visitInsn(DUP);
    mv.visitInsn(ICONST_1);
    mv.visitLdcInsn("B");
    mv.visitInsn(AASTORE);
    mv.visitFieldInsn(PUTSTATIC, OWNER, "VALUES", "[Ljava/lang/String;");
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    clone(cw, "copy", "([I)[I", "[I", mv2 -> mv2.visitVarInsn(ALOAD, 0));
    clone(cw, "values", "()[Ljava/lang/Object;", "[Ljava/lang/Object;",
        mv2 -> mv2.visitFieldInsn(GETSTATIC, OWNER, "VALUES", "[Ljava/lang/String;"));
    clone(cw, "same", "(L" + OWNER + ";)Ljava/lang/Object;", null, mv2 -> mv2.visitVarInsn(ALOAD, 0));
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void clone(final ClassWriter cw, final String name, final String desc, final String cast,
      final java.util.function.Consumer<MethodVisitor> receiver) {
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_STATIC, name, desc, null,
        new String[] {"java/lang/CloneNotSupportedException"});
    mv.visitCode();
    receiver.accept(mv);
    mv.visitMethodInsn(INVOKEVIRTUAL, "java/lang/Object", "clone", "()Ljava/lang/Object;", false);
    if (cast != null) {
      mv.visitTypeInsn(CHECKCAST, cast);
    }
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  @TempDir
  static Path classes;
  private static ProbeLoader loader;

  private static synchronized Class<?> copierClass() throws Exception {
    if (loader == null) {
      Files.createDirectories(classes.resolve("arrays"));
      Files.write(classes.resolve(OWNER + ".class"), copier());
      loader = new ProbeLoader(new URL[] {classes.toUri().toURL()}, ArrayCloneCallTest.class.getClassLoader());
    }
    return loader.loadClass(OWNER.replace('/', '.'));
  }

  @AfterAll
  static void close() throws java.io.IOException {
    if (loader != null) {
      loader.close();
    }
  }

  private static SpecializationRequest<Object> request(final String name, final Class<?>... parameters)
      throws Exception {
    final Class<?> c = copierClass();
    final MethodHandles.Lookup lookup = loader.lookupIn(c);
    return Specializer.of(lookup).method(c, name, parameters);
  }

  @Test
  void anUnknownArrayReceiverIsClonedAsAnArray() throws Exception {
    final Function<Object, Object> f = request("copy", int[].class).<Function<Object, Object>>as(cast(Function.class)).specialize()
        .function();
    final int[] a = {1, 2, 3};
    final Object copy = f.apply(a);
    assertThat(copy).isInstanceOf(int[].class).isNotSameAs(a);
    assertThat((int[]) copy).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> f.apply(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void anEnumsValuesCloneItsKnownArray() throws Exception {
    final Supplier<Object> f = request("values").<Supplier<Object>>as(cast(Supplier.class)).specialize().function();
    final Object copy = f.get();
    assertThat(copy).isInstanceOf(String[].class);
    assertThat((Object[]) copy).containsExactly("A", "B");
    assertThat(f.get()).as("a new copy each call").isNotSameAs(copy);
  }

  @Test
  void aReceiverOfTheCallingClassStillClonesThroughTheLookup() throws Exception {
    final Class<?> c = copierClass();
    final Function<Object, Object> f = request("same", c).<Function<Object, Object>>as(cast(Function.class)).specialize().function();
    final Object o = c.getConstructor().newInstance();
    final Object copy = f.apply(o);
    assertThat(copy).isInstanceOf(c).isNotSameAs(o);
    assertThatThrownBy(() -> f.apply(null)).isInstanceOf(NullPointerException.class);
  }

  @SuppressWarnings("unchecked")
  private static <T> Class<T> cast(final Class<?> c) {
    return (Class<T>) c;
  }
}
