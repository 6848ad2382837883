package org.quasi.agent;

import static org.objectweb.asm.Opcodes.*;

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

/**
 * Class files with a method past 32 KB in the shape whose jumps ASM 9.11.1 cannot widen by itself once a rewriter
 * lengthens the code between them (see {@code WideJumps}): for the tests of the agent's rewriters.
 */
public final class LongMethods {
  /** The JVM's {@code goto_w}, which {@link org.objectweb.asm.Opcodes} does not name. */
  private static final int GOTO_W = 200;

  private LongMethods() {
  }

  /**
   * {@code static int level; static int f(int x)}: x == 0 jumps forward over everything to return -1; otherwise two
   * rounds of a loop (a tableswitch, {@code fill} nops, with {@code writes} {@code level = i}, then a backward jump of
   * nearly 32 KB) return 2. Written as javac writes a method this long: the forward jump, beyond 32 KB, as
   * {@code ifne next; goto_w far}, the backward one short, as long as it fits (for {@code fill} up to about 32,755).
   * Code added between the jumps and their targets makes ASM 9.11.1 widen jumps itself, which fails on some
   * alignments of the switch.
   *
   * @param name   the class's internal name
   * @param fill   the nops in the loop's body
   * @param writes whether the loop writes {@code level} (without, {@code f} is free of heap writes)
   */
  public static byte[] program(final String name, final int fill, final boolean writes) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
    c.fields.add(new FieldNode(ACC_PUBLIC | ACC_STATIC, "level", "I", null, null));
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", "(I)I", null, null);
    final LabelNode far = new LabelNode();
    final LabelNode top = new LabelNode();
    final LabelNode body = new LabelNode();
    final LabelNode next = new LabelNode();
    f.instructions.add(new VarInsnNode(ILOAD, 0));
    f.instructions.add(new JumpInsnNode(IFNE, next));
    f.instructions.add(new JumpInsnNode(GOTO_W, far));
    f.instructions.add(next);
    f.instructions.add(new InsnNode(ICONST_0));
    f.instructions.add(new VarInsnNode(ISTORE, 1));
    f.instructions.add(top);
    f.instructions.add(new VarInsnNode(ILOAD, 1));
    f.instructions.add(new TableSwitchInsnNode(0, 1, body, body, body));
    f.instructions.add(body);
    for (int i = 0; i < fill; i++) {
      f.instructions.add(new InsnNode(NOP));
    }
    if (writes) {
      f.instructions.add(new VarInsnNode(ILOAD, 1));
      f.instructions.add(new FieldInsnNode(PUTSTATIC, name, "level", "I"));
    }
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
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    c.accept(w);
    return w.toByteArray();
  }
}
