package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.memguard.internal.TrapRewriter;

/**
 * A method that trapping pushes past 32 KB (each array store's trap is two bytes longer than the store) is still
 * trapped: its long jumps are widened keeping the class's frames, where ASM 9.11.1 alone fails on some layouts (see
 * quasi-specializer's {@code WideJumps}).
 */
class LongMethodTrapsTest {

  /**
   * {@code static int f(int x, int[] a)}: x == 0 jumps forward over the whole loop to return -1; otherwise two rounds
   * of a switch and {@code stores} times {@code a[i] = i} (then {@code nops} nops), closed by a backward jump that
   * spans nearly 32 KB once the stores are trapped, return 2.
   */
  private static byte[] program(final String name, final int stores, final int nops) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC, name, null, "java/lang/Object", null);
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I[I)I", null, null);
    final LabelNode far = new LabelNode();
    final LabelNode top = new LabelNode();
    final LabelNode body = new LabelNode();
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFEQ, far));
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new VarInsnNode(ISTORE, 2));
    f.instructions.add(top);
    f.instructions.add(new VarInsnNode(ILOAD, 2));
    f.instructions.add(new TableSwitchInsnNode(0, 1, body, body, body));
    f.instructions.add(body);
    for (int i = 0; i < stores; i++) {
      f.instructions.add(new VarInsnNode(ALOAD, 1));
      f.instructions.add(new VarInsnNode(ILOAD, 2));
      f.instructions.add(new VarInsnNode(ILOAD, 2));
      f.instructions.add(new InsnNode(IASTORE));
    }
    for (int i = 0; i < nops; i++) {
      f.instructions.add(new InsnNode(NOP));
    }
    f.instructions.add(new IincInsnNode(2, 1));
    f.instructions.add(new VarInsnNode(ILOAD, 2));
    f.instructions.add(new InsnNode(ICONST_2));
    f.instructions.add(new JumpInsnNode(IF_ICMPLT, top));
    f.instructions.add(new VarInsnNode(ILOAD, 2));
    f.instructions.add(new InsnNode(IRETURN));
    f.instructions.add(far);
    f.instructions.add(new InsnNode(ICONST_M1));
    f.instructions.add(new InsnNode(IRETURN));
    c.methods.add(f);
    // About 22 KB before trapping: ASM writes it and its frames without widening anything.
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    c.accept(w);
    return w.toByteArray();
  }

  private static Method load(final String name, final byte[] classFile) throws Exception {
    final Class<?> c = new ClassLoader(LongMethodTrapsTest.class.getClassLoader()) {
      Class<?> define() {
        return defineClass(name, classFile, 0, classFile.length);
      }
    }.define();
    return c.getMethod("f", int.class, int[].class);
  }

  @Test
  void trappingPastThirtyTwoKilobytesKeepsTheMethodWhole() throws Exception {
    final TrapRewriter rewriter = new TrapRewriter(null);
    final List<String> untrapped = new ArrayList<>();
    // The trapped loop body from 32,724 to 32,765 bytes: every alignment of the switch around the 16-bit range.
    for (int stores = 5_454; stores <= 5_460; stores++) {
      for (int nops = 0; nops < 6; nops++) {
        final String name = "LongTrapped" + stores + "x" + nops;
        final TrapRewriter.Result r = rewriter.rewrite(program(name, stores, nops));
        if (r.skipped() != null) {
          untrapped.add(name + ": " + r.skipped());
          continue;
        }
        assertThat(r.sites()).as(name).isEqualTo(stores);
        final Method f = load(name, r.bytes());
        final int[] a = new int[2];
        assertThat(f.invoke(null, 0, a)).as("%s, the forward jump", name).isEqualTo(-1);
        assertThat(a).containsExactly(0, 0);
        assertThat(f.invoke(null, 5, a)).as("%s, the backward jump", name).isEqualTo(2);
        assertThat(a).as("both rounds stored through the traps").containsExactly(0, 1);
      }
    }
    assertThat(untrapped).isEmpty();
  }
}
