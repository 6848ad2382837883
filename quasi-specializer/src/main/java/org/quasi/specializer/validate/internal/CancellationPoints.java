package org.quasi.specializer.validate.internal;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a class file of the validated class path so that every method calls {@link Cancellation#poll} on entry
 * and before every backward jump: a loop or a recursion that never ends then ends when its run is cancelled.
 *
 * <p>The call takes no operand and leaves the stack as it was, and no branch is added, so the stack map frames and
 * the maximum stack size of the original stay valid and are copied as they are. Switches that jump backwards are
 * left alone (compilers emit loops with conditional jumps and {@code goto}; a loop made of a switch alone is polled
 * at its methods' entries only).
 */
final class CancellationPoints {
  private static final String OWNER = Cancellation.class.getName().replace('.', '/');

  private CancellationPoints() {
  }

  /** Returns {@code classFile} with the polls, or null when it cannot be rewritten (then it is loaded as it is). */
  static byte[] rewrite(final byte[] classFile) {
    try {
      final ClassReader reader = new ClassReader(classFile);
      final ClassWriter writer = new ClassWriter(reader, 0);
      reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
        @Override
        public MethodVisitor visitMethod(final int access, final String name, final String descriptor,
            final String signature, final String[] exceptions) {
          final MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
          return mv == null ? null : new Polls(mv);
        }
      }, 0);
      return writer.toByteArray();
    } catch (RuntimeException e) {
      // DontCheck(IllegalCatch): ASM refuses a class file (a version newer than it reads, say): load the original.
      return null;
    }
  }

  /** Adds the polls to one method. */
  private static final class Polls extends MethodVisitor {
    private final Set<Label> seen = new HashSet<>();

    Polls(final MethodVisitor mv) {
      super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitCode() {
      super.visitCode();
      poll();
    }

    @Override
    public void visitLabel(final Label label) {
      seen.add(label);
      super.visitLabel(label);
    }

    @Override
    public void visitJumpInsn(final int opcode, final Label label) {
      if (seen.contains(label)) {
        poll();
      }
      super.visitJumpInsn(opcode, label);
    }

    private void poll() {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "poll", "()V", false);
    }
  }
}
