package org.quasi.typeguard.internal;

import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * One TypeGuard rule over the instructions of a method. {@link MethodScanner} calls, for every reachable instruction,
 * the one {@code match} method that fits its kind; constants ({@code ldc} operands, bootstrap methods and arguments,
 * nested dynamic constants) each go to {@link #matchConstant}. The default implementations do nothing. Rules are
 * stateless and shared by all threads; they report through {@link InsnContext#finding}. The finding kinds a rule
 * reports, with their stable ids, are named in its class comment.
 */
abstract class InsnRule {

  /**
   * Matches a {@code getfield}, {@code putfield}, {@code getstatic} or {@code putstatic}. The default implementation
   * does nothing.
   *
   * @param ctx the instruction's context
   * @param insn the instruction
   */
  void matchFieldInsn(final InsnContext ctx, final FieldInsnNode insn) {
  }

  /**
   * Matches a method call. The default implementation does nothing.
   *
   * @param ctx the instruction's context
   * @param insn the instruction
   */
  void matchMethodInsn(final InsnContext ctx, final MethodInsnNode insn) {
  }

  /**
   * Matches an {@code invokedynamic} (its constants go to {@link #matchConstant} too). The default implementation
   * does nothing.
   *
   * @param ctx the instruction's context
   * @param insn the instruction
   */
  void matchInvokeDynamicInsn(final InsnContext ctx, final InvokeDynamicInsnNode insn) {
  }

  /**
   * Matches a constant loaded or passed to a bootstrap method. The default implementation does nothing.
   *
   * @param ctx the instruction's context
   * @param constant a {@code Handle}, {@code ConstantDynamic}, {@code Type}, {@code String} or boxed number
   */
  void matchConstant(final InsnContext ctx, final Object constant) {
  }

  /**
   * Matches any other instruction with an opcode ({@code areturn}, array stores, ...). The default implementation
   * does nothing.
   *
   * @param ctx the instruction's context
   * @param opcode the opcode
   */
  void matchInsn(final InsnContext ctx, final int opcode) {
  }
}
