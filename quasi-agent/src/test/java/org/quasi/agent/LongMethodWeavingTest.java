package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.LongMethods;

/**
 * A method longer than 32 KB with a guarded write is woven and runs: its jumps are made wide before ASM writes it
 * (ASM 9.11.1's own widening fails on a backward jump of nearly 32 KB across a switch; see {@code WideJumps}).
 */
class LongMethodWeavingTest {
  /**
   * {@code static int level; static int f(int x)}, {@link LongMethods#loop} written as javac writes it, whose loop
   * sets {@code level} to the round after {@code fill} nops.
   */
  private static byte[] program(final int fill) {
    final ClassNode c = LongMethods.loop("demo/Long", "(I)I", true, false, code -> {
      LongMethods.nops(fill).accept(code);
      code.add(new VarInsnNode(ILOAD, LongMethods.round("(I)I")));
      code.add(new FieldInsnNode(PUTSTATIC, "demo/Long", "level", "I"));
    });
    c.fields.add(new FieldNode(ACC_PUBLIC | ACC_STATIC, "level", "I", null, null));
    return LongMethods.write(c);
  }

  @Test
  void aLongMethodWithAGuardedWriteIsWovenAndBehavesAsWritten(@TempDir final Path dir) throws Exception {
    final Path spec = Files.writeString(dir.resolve("long.spec"), "quasi-spec 1\nquasi-invariant demo.Long.level\n");
    final Weaver weaver = new Weaver(GuardSpec.read(spec), name -> null);
    // The guarded write moves the backward jump's offset: every alignment of the switch, in and out of range.
    for (int fill = 32_700; fill <= 32_760; fill += 3) {
      final Weaver.Result r = weaver.weave(program(fill));
      assertThat(r.guardedWrites()).as("fill %d", fill).isEqualTo(1);
      final Class<?> woven = LongMethods.define("demo/Long", r.bytes(), LongMethodWeavingTest.class.getClassLoader());
      final Method f = woven.getMethod("f", int.class);
      assertThat(f.invoke(null, 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(woven.getField("level").getInt(null)).isZero();
      assertThat(f.invoke(null, 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
      assertThat(woven.getField("level").getInt(null)).isEqualTo(1);
    }
  }
}
