package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.ACC_STATIC;
import static org.objectweb.asm.Opcodes.RETURN;

import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The static initializer of a class being woven: where the guard flags of its static fields are created. */
final class StaticInitializer {
  private StaticInitializer() {
  }

  /**
   * Puts {@code init} at the start of {@code node}'s {@code <clinit>}, adding one that only returns when the class has
   * none, so the flags exist before any code of the class (or of its original initializer) can write a field.
   */
  static void prepend(final ClassNode node, final InsnList init) {
    MethodNode clinit = null;
    for (final MethodNode m : node.methods) {
      if (m.name.equals("<clinit>")) {
        clinit = m;
      }
    }
    if (clinit == null) {
      clinit = new MethodNode(ACC_STATIC, "<clinit>", "()V", null, null);
      clinit.instructions.add(new InsnNode(RETURN));
      node.methods.add(clinit);
    }
    clinit.instructions.insert(init);
  }
}
