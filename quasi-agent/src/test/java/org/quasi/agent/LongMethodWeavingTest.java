package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.WideJumps;

/**
 * A method longer than 32 KB with a guarded write is woven and runs: its jumps are made wide before ASM writes it
 * (ASM 9.11.1's own widening fails on a backward jump of nearly 32 KB across a switch; see {@code WideJumps}).
 */
class LongMethodWeavingTest {
  /**
   * {@code static int level; static int f(int x)}: x == 0 jumps forward over everything to return -1; otherwise two
   * rounds of a loop (a tableswitch, {@code fill} nops, {@code level = i}, then a backward jump of nearly 32 KB) return
   * 2. Written with wide jumps, as javac writes a method this long.
   */
  private static byte[] program(final String name, final int fill) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
    c.fields.add(new FieldNode(ACC_PUBLIC | ACC_STATIC, "level", "I", null, null));
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I)I", null, null);
    final LabelNode far = new LabelNode();
    final LabelNode top = new LabelNode();
    final LabelNode body = new LabelNode();
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFEQ, far));
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new VarInsnNode(ISTORE, 1));
    f.instructions.add(top);
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new TableSwitchInsnNode(0, 1, body, body, body));
    f.instructions.add(body);
    for (int i = 0; i < fill; i++) {
      f.instructions.add(new InsnNode(NOP));
    }
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new FieldInsnNode(PUTSTATIC, name, "level", "I"));
    f.instructions.add(new IincInsnNode(1, 1));
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new InsnNode(ICONST_2));
    f.instructions.add(new JumpInsnNode(IF_ICMPLT, top));
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(far);
    f.instructions.add(new InsnNode(ICONST_M1));
    f.instructions.add(new InsnNode(IRETURN));
    c.methods.add(f);
    WideJumps.widenIfLong(c);
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    c.accept(w);
    return w.toByteArray();
  }

  @Test
  void aLongMethodWithAGuardedWriteIsWovenAndBehavesAsWritten(@TempDir final Path dir) throws Exception {
    final Path spec = Files.writeString(dir.resolve("long.spec"), "quasi-spec 1\nquasi-invariant demo.Long.level\n");
    final Weaver weaver = new Weaver(GuardSpec.read(spec), name -> null);
    // The guarded write moves the backward jump's offset: every alignment of the switch, in and out of range.
    for (int fill = 32_700; fill <= 32_760; fill += 3) {
      final Weaver.Result r = weaver.weave(program("demo/Long", fill));
      assertThat(r.guardedWrites()).as("fill %d", fill).isEqualTo(1);
      final Class<?> woven = new ClassLoader(LongMethodWeavingTest.class.getClassLoader()) {
        Class<?> define() {
          return defineClass("demo.Long", r.bytes(), 0, r.bytes().length);
        }
      }.define();
      final Method f = woven.getMethod("f", int.class);
      assertThat(f.invoke(null, 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(woven.getField("level").getInt(null)).isZero();
      assertThat(f.invoke(null, 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
      assertThat(woven.getField("level").getInt(null)).isEqualTo(1);
    }
  }
}
