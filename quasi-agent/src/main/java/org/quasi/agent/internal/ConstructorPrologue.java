package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.NEW;

import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Follows a method's instructions in order and tells where {@code this} becomes initialized: in a constructor, after
 * the {@code invokespecial <init>} that matches no earlier {@code new} (the {@code super(...)} or {@code this(...)}
 * call); in any other method, from the start. Rewriters leave the prologue before that call alone, since the
 * verifier forbids most uses of the uninitialized {@code this} there.
 *
 * @implNote Instructions are followed in list order, which is how compilers lay out a constructor's prologue. A
 *     prologue whose branches skip a {@code new} or its {@code <init>} call is read as if it ran straight through.
 */
public final class ConstructorPrologue {
  private int pendingNews;
  private boolean initialized;

  /** A prologue tracker for a method that is a constructor ({@code <init>}) or not. */
  public ConstructorPrologue(final boolean constructor) {
    this.initialized = !constructor;
  }

  /**
   * Returns whether {@code this} is initialized before {@code insn}; call it once for each instruction, in order.
   * While it returns false, {@code insn} belongs to the prologue.
   */
  public boolean initializedBefore(final AbstractInsnNode insn) {
    if (initialized) {
      return true;
    }
    if (insn.getOpcode() == NEW) {
      pendingNews++;
    } else if (insn.getOpcode() == INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
      if (pendingNews == 0) {
        initialized = true;
      } else {
        pendingNews--;
      }
    }
    return false;
  }
}
