package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A class whose weaving fails holds none of the fields woven sites read (its static flags, its QUID): a class woven
 * before or after it that writes its fields must not read them, or the program stops with a {@code NoSuchFieldError}.
 */
class FailedWeavingTest {

  /** {@code public class demo.BigWriter { public static void set(int v) { demo.Big.level = v; } }}. */
  private static byte[] writer() {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "demo/BigWriter", null, "java/lang/Object", null);
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "set", "(I)V", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitFieldInsn(Opcodes.PUTSTATIC, "demo/Big", "level", "I");
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  @Test
  void aWriterOfAClassThatCannotBeWovenUsesItsOwnFlagAndRuns() throws Exception {
    // demo.Big: 13,000 writes to its quasi-invariant level, past 64 KB once guarded.
    final byte[] big = WeaverTest.bigStaticWriter("demo/Big", 13_000);
    final Map<String, byte[]> classPath = Map.of("demo/Big", big, "demo/BigWriter", writer());
    final Weaver weaver = new Weaver(new GuardSpec(Set.of("demo/Big.level")), classPath::get);

    // The writer is woven first, as when it is loaded before the class it writes.
    final Weaver.Result w = weaver.weave(classPath.get("demo/BigWriter"));
    assertThat(w.guardedWrites()).isEqualTo(1);
    assertThat(w.sideTableWrites()).as("a flag of the writer's own, since demo.Big will get none").isEqualTo(1);
    assertThatThrownBy(() -> weaver.weave(big)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot weave");

    final Map<String, byte[]> defined = Map.of("demo.Big", big, "demo.BigWriter", w.bytes());
    final ClassLoader loader = new ClassLoader(FailedWeavingTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(final String name) throws ClassNotFoundException {
        final byte[] b = defined.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
    loader.loadClass("demo.BigWriter").getMethod("set", int.class).invoke(null, 5);
    assertThat(loader.loadClass("demo.Big").getField("level").getInt(null)).isEqualTo(5);
  }
}
