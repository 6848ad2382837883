package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Methods past 32 KB in the shape whose jumps ASM 9.11.1 fails to widen by itself on some alignments (see
 * {@link WideJumps}): a forward jump over everything, a switch, and a backward jump of nearly 32 KB. Shared by the
 * tests of every rewriter that may make such a method (the specializer, the agent's weaving and shadow probes,
 * MemGuard's traps) through quasi-specializer's test jar.
 */
public final class LongMethods {
  private LongMethods() {
  }

  /**
   * A class with {@code static int f(desc)}, whose first argument is an int {@code x}: x == 0 jumps forward over
   * everything to return -1; otherwise two rounds of a loop (a tableswitch on the round, {@code body}, then a backward
   * {@code if_icmplt}) return 2. The round is the local just after the arguments ({@link #round}).
   *
   * @param javacShaped the forward jump as javac writes one beyond 32 KB ({@code ifne next; goto_w far}), or a plain
   *                    {@code ifeq far} the writer must widen
   * @param frames      with the expanded frames of a class read with {@code ClassReader.EXPAND_FRAMES}
   */
  public static ClassNode loop(final String name, final String desc, final boolean javacShaped, final boolean frames,
      final Consumer<InsnList> body) {
    final ClassNode c = new ClassNode();
    c.visit(V17, ACC_PUBLIC | ACC_SUPER, name, null, "java/lang/Object", null);
    final MethodNode f = new MethodNode(ACC_PUBLIC | ACC_STATIC, "f", desc, null, null);
    final int round = round(desc);
    final List<Object> arguments = new ArrayList<>();
    for (final Type t : Type.getArgumentTypes(desc)) {
      arguments.add(t.getSort() == Type.INT ? INTEGER : t.getDescriptor());
    }
    final List<Object> inLoop = new ArrayList<>(arguments);
    inLoop.add(INTEGER);
    final LabelNode far = new LabelNode();
    final LabelNode top = new LabelNode();
    final LabelNode inner = new LabelNode();
    final InsnList code = f.instructions;
    code.add(new VarInsnNode(ILOAD, 0));
    if (javacShaped) {
      final LabelNode next = new LabelNode();
      code.add(new JumpInsnNode(IFNE, next));
      code.add(new JumpInsnNode(WideJumps.GOTO_W, far));
      code.add(next);
      if (frames) {
        code.add(frame(arguments));
      }
    } else {
      code.add(new JumpInsnNode(IFEQ, far));
    }
    code.add(new InsnNode(ICONST_0));
    code.add(new VarInsnNode(ISTORE, round));
    code.add(top);
    if (frames) {
      code.add(frame(inLoop));
    }
    code.add(new VarInsnNode(ILOAD, round));
    code.add(new TableSwitchInsnNode(0, 1, inner, inner, inner));
    code.add(inner);
    if (frames) {
      code.add(frame(inLoop));
    }
    body.accept(code);
    code.add(new IincInsnNode(round, 1));
    code.add(new VarInsnNode(ILOAD, round));
    code.add(new InsnNode(ICONST_2));
    code.add(new JumpInsnNode(IF_ICMPLT, top));
    code.add(new VarInsnNode(ILOAD, round));
    code.add(new InsnNode(IRETURN));
    code.add(far);
    if (frames) {
      code.add(frame(arguments));
    }
    code.add(new InsnNode(ICONST_M1));
    code.add(new InsnNode(IRETURN));
    c.methods.add(f);
    return c;
  }

  /** The local holding the round in {@link #loop}'s method of this descriptor. */
  public static int round(final String desc) {
    return (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1; // the count includes an implicit this
  }

  /** A body of {@code n} nops. */
  public static Consumer<InsnList> nops(final int n) {
    return code -> {
      for (int i = 0; i < n; i++) {
        code.add(new InsnNode(NOP));
      }
    };
  }

  /** Writes {@code c} computing its frames, as a compiler would have. */
  public static byte[] write(final ClassNode c) {
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    c.accept(w);
    return w.toByteArray();
  }

  /** Defines the class of {@code classFile} in a new loader under {@code parent}. */
  public static Class<?> define(final String name, final byte[] classFile, final ClassLoader parent) {
    return new ClassLoader(parent) {
      Class<?> define() {
        return defineClass(name.replace('/', '.'), classFile, 0, classFile.length);
      }
    }.define();
  }

  private static FrameNode frame(final List<Object> locals) {
    return new FrameNode(F_NEW, locals.size(), locals.toArray(), 0, new Object[0]);
  }
}
