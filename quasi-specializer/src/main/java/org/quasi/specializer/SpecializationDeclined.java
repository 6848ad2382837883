package org.quasi.specializer;

import org.objectweb.asm.util.Printer;

/**
 * Thrown when the specializer cannot produce residual code that it can prove behaves exactly like the original.
 *
 * <p>The exception names where it gave up: the class (internal name), the method name and descriptor, the index of
 * the instruction (counting real instructions only, from 0; {@code -1} when the reason concerns the whole method) with
 * its opcode, and a short sentence saying why. Declining is never a bug: the original method is still there to call.
 *
 * @since 0.1
 */
public final class SpecializationDeclined extends Exception {

  private static final long serialVersionUID = 1L;

  private final String owner;
  private final String methodName;
  private final String methodDescriptor;
  private final int instructionIndex;
  private final int opcode;
  private final String reason;

  /**
   * @param owner            internal name of the class declaring the method
   * @param methodName       the method's name
   * @param methodDescriptor the method's descriptor
   * @param instructionIndex index of the offending instruction, or -1
   * @param opcode           the offending instruction's opcode, or -1
   * @param reason           a sentence saying why
   * @param cause            the underlying error, or {@code null}
   */
  public SpecializationDeclined(final String owner, final String methodName, final String methodDescriptor,
      final int instructionIndex, final int opcode, final String reason, final Throwable cause) {
    super(format(owner, methodName, methodDescriptor, instructionIndex, opcode, reason), cause);
    this.owner = owner;
    this.methodName = methodName;
    this.methodDescriptor = methodDescriptor;
    this.instructionIndex = instructionIndex;
    this.opcode = opcode;
    this.reason = reason;
  }

  /** Returns the internal name of the class declaring the method where the specializer gave up. */
  public String owner() {
    return owner;
  }

  /** Returns the name of the method where the specializer gave up. */
  public String methodName() {
    return methodName;
  }

  /** Returns the descriptor of the method where the specializer gave up. */
  public String methodDescriptor() {
    return methodDescriptor;
  }

  /** Returns the index of the offending instruction among the method's real instructions, or -1. */
  public int instructionIndex() {
    return instructionIndex;
  }

  /** Returns the opcode of the offending instruction, or -1. */
  public int opcode() {
    return opcode;
  }

  /** Returns the sentence saying why the specializer declined. */
  public String reason() {
    return reason;
  }

  private static String format(final String owner, final String name, final String desc, final int index,
      final int opcode, final String reason) {
    final StringBuilder b = new StringBuilder("Specialization declined in ").append(owner).append('.')
        .append(name).append(desc);
    if (index >= 0) {
      b.append(" at instruction ").append(index);
      if (opcode >= 0 && opcode < Printer.OPCODES.length) {
        b.append(" (").append(Printer.OPCODES[opcode]).append(')');
      }
    }
    return b.append(": ").append(reason).toString();
  }
}
