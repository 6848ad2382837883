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

    final ClassLoader loader = loaderOf(Map.of("demo.Big", big, "demo.BigWriter", w.bytes()));
    loader.loadClass("demo.BigWriter").getMethod("set", int.class).invoke(null, 5);
    assertThat(loader.loadClass("demo.Big").getField("level").getInt(null)).isEqualTo(5);
  }

  /** A loader defining {@code classes} (binary name to class file) itself. */
  private static ClassLoader loaderOf(final Map<String, byte[]> classes) {
    return new ClassLoader(FailedWeavingTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(final String name) throws ClassNotFoundException {
        final byte[] b = classes.get(name);
        if (b == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, b, 0, b.length);
      }
    };
  }

  /**
   * {@code public class NAME extends SUPER { public int FIELD; }}, and with {@code big} a static {@code level} written
   * 13,000 times, which makes its weaving fail once {@code level} is guarded.
   */
  private static byte[] holder(final String name, final String superName, final String field, final boolean big) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, superName, null);
    cw.visitField(Opcodes.ACC_PUBLIC, field, "I", null, null).visitEnd();
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitMethodInsn(Opcodes.INVOKESPECIAL, superName, "<init>", "()V", false);
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    if (big) {
      WeaverTest.addStaticWriter(cw, name, 13_000);
    }
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** {@code public class demo.W { public static void set(demo.S o, int v) { o.FIELD = v; } }}. */
  private static byte[] instanceWriter(final String field) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, "demo/W", null, "java/lang/Object", null);
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "set", "(Ldemo/S;I)V", null,
        null);
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitFieldInsn(Opcodes.PUTFIELD, "demo/S", field, "I");
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * demo.S extends demo.H, each declaring a quasi-invariant ({@code s}, {@code h}); {@code failing} fails to weave.
   * demo.W, woven first, writes {@code o.FIELD} of a demo.S; the write must reach a dependent registered on
   * {@code (o, declaring, FIELD)}, with no {@code NoSuchFieldError}.
   */
  private static void writeThroughW(final String failing, final String field, final String declaring)
      throws Exception {
    final Map<String, byte[]> classPath = Map.of(
        "demo/H", holder("demo/H", "java/lang/Object", "h", failing.equals("demo/H")),
        "demo/S", holder("demo/S", "demo/H", "s", failing.equals("demo/S")), "demo/W", instanceWriter(field));
    final Weaver weaver = new Weaver(new GuardSpec(Set.of("demo/H.h", "demo/S.s", "demo/H.level", "demo/S.level")),
        classPath::get);
    final Map<String, byte[]> defined = new java.util.HashMap<>();
    defined.put("demo.W", weaver.weave(classPath.get("demo/W")).bytes());
    for (final String c : java.util.List.of("demo/H", "demo/S")) {
      if (c.equals(failing)) {
        assertThatThrownBy(() -> weaver.weave(classPath.get(c))).isInstanceOf(IllegalStateException.class);
        defined.put(c.replace('/', '.'), classPath.get(c));
      } else {
        defined.put(c.replace('/', '.'), weaver.weave(classPath.get(c)).bytes());
      }
    }
    final ClassLoader loader = loaderOf(defined);
    final Class<?> s = loader.loadClass("demo.S");
    final Object o = s.getConstructor().newInstance();
    final Fixtures.Recorder dependent = new Fixtures.Recorder();
    org.quasi.runtime.Guards.register(dependent, o, loader.loadClass(declaring), field);
    loader.loadClass("demo.W").getMethod("set", s, int.class).invoke(null, o, 5);
    assertThat(s.getField(field).getInt(o)).isEqualTo(5);
    assertThat(dependent.causes).as("the write through demo.W reached the dependent on o." + field).isNotEmpty();
  }

  /** The superclass holds the QUID: the subclass failing does not take it away from the writer's site. */
  @Test
  void aSubclassThatFailsLeavesItsSuperclassQuidToTheSites() throws Exception {
    writeThroughW("demo/S", "s", "demo.S");
  }

  /** The superclass fails: the subclass holds the QUID, and the superclass's field goes through the side table. */
  @Test
  void aSuperclassThatFailsLeavesTheQuidToItsSubclass() throws Exception {
    writeThroughW("demo/H", "h", "demo.H");
  }

  /** A class an earlier try found failing stays unwoven, even if its real weaving would succeed. */
  @Test
  void anEarlierFailureIsFinal() {
    final byte[] big = WeaverTest.bigStaticWriter("demo/Final", 1);
    final Weaver weaver = new Weaver(new GuardSpec(Set.of("demo/Final.level")), name -> null);
    weaver.failedToWeave("demo/Final");
    assertThatThrownBy(() -> weaver.weave(big)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("an earlier try to weave it failed");
  }
}
