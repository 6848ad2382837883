package org.quasi.typeguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Field handles as class-file constants, which javac never emits for fields but other compilers and generators may.
 * The class is written with ASM:
 *
 * <pre>{@code
 * class gen.Sneaky {
 *   static Object setter() { return ldc MethodHandle REF_putField Task.uid:I; }
 *   static Object varHandle() { return ldc ConstantDynamic euid:VarHandle = ConstantBootstraps.fieldVarHandle(Task, int); }
 * }
 * }</pre>
 */
class ConstantHandleTest {

  private static final String TASK = "org/quasi/typeguard/fixtures/Task";

  @Test
  void constantFieldHandlesAreFindings(@TempDir final Path dir) throws IOException {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, "gen/Sneaky", null, "java/lang/Object", null);
    cw.visitSource("Sneaky.java", null);
    MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "setter", "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    mv.visitLdcInsn(new Handle(Opcodes.H_PUTFIELD, TASK, "uid", "I", false));
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    mv = cw.visitMethod(Opcodes.ACC_STATIC, "varHandle", "()Ljava/lang/Object;", null, null);
    mv.visitCode();
    mv.visitLdcInsn(new ConstantDynamic("euid", "Ljava/lang/invoke/VarHandle;",
        new Handle(Opcodes.H_INVOKESTATIC, "java/lang/invoke/ConstantBootstraps", "fieldVarHandle",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;Ljava/lang/Class;"
                + "Ljava/lang/Class;)Ljava/lang/invoke/VarHandle;", false),
        Type.getObjectType(TASK), Type.INT_TYPE));
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    Files.createDirectories(dir.resolve("gen"));
    Files.write(dir.resolve("gen/Sneaky.class"), cw.toByteArray());

    final TypeGuardReport report = FixtureCorpus.builder()
        .classPath(List.of(dir, FixtureCorpus.TEST_CLASSES)).build().analyze();
    assertThat(FixtureCorpus.lines(report)).contains(
        "TG203 definite Task.uid @ gen.Sneaky.setter MethodHandle constant REF_putField",
        "TG204 definite Task.euid @ gen.Sneaky.varHandle ConstantBootstraps.fieldVarHandle");
    assertThat(FixtureCorpus.lines(report)).filteredOn(l -> l.contains("gen.Sneaky")).hasSize(2);
  }
}
