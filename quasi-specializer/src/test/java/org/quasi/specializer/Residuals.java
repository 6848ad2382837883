package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Printer;

/** Opcode-level assertions on residual code: what instructions the residual method has left. */
final class Residuals {
  private Residuals() {
  }

  /** Returns the opcode names of the residual method's real instructions, in order. */
  static List<String> opcodes(final ResidualCode code) {
    final ClassNode cn = new ClassNode();
    new ClassReader(code.classFile()).accept(cn, ClassReader.SKIP_FRAMES);
    final List<String> names = new ArrayList<>();
    for (final MethodNode m : cn.methods) {
      if (m.name.equals("specialized")) {
        for (final AbstractInsnNode insn : m.instructions) {
          if (insn.getOpcode() >= 0) {
            names.add(Printer.OPCODES[insn.getOpcode()]);
          }
        }
      }
    }
    return names;
  }

  /** Asserts the residual method has no instruction with any of the given opcode names. */
  static void assertNone(final ResidualCode code, final String... opcodes) {
    assertThat(opcodes(code)).as("residual code:\n%s", code.dump()).doesNotContain(opcodes);
  }

  /** Asserts the residual method is exactly this sequence of opcodes. */
  static void assertExactly(final ResidualCode code, final String... opcodes) {
    assertThat(opcodes(code)).as("residual code:\n%s", code.dump()).containsExactly(opcodes);
  }

  /** Asserts the residual method has at least one instruction with the given opcode name. */
  static void assertSome(final ResidualCode code, final String opcode) {
    assertThat(opcodes(code)).as("residual code:\n%s", code.dump()).contains(opcode);
  }
}
