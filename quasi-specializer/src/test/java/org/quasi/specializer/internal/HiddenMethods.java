package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodNode;

/** Runs a pass's output: a static method {@code m} of a given type with given code, in a hidden class, verified. */
final class HiddenMethods {
  private HiddenMethods() {
  }

  /**
   * Defines {@code static m} of {@code type} with {@code code} (frames computed by ASM) in a hidden class nested in
   * {@code host}'s package, and returns it; the JVM's verifier checks it as it loads.
   */
  static MethodHandle define(final Class<?> host, final InsnList code, final MethodType type)
      throws ReflectiveOperationException {
    final ClassNode cn = new ClassNode();
    cn.version = V17;
    cn.access = ACC_FINAL | ACC_SUPER;
    cn.name = host.getName().replace('.', '/') + "$$Pass";
    cn.superName = "java/lang/Object";
    final MethodNode m = new MethodNode(ACC_STATIC, "m", type.toMethodDescriptorString(), null, null);
    m.instructions = code;
    cn.methods.add(m);
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cn.accept(cw);
    final MethodHandles.Lookup lookup = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true);
    return lookup.findStatic(lookup.lookupClass(), "m", type);
  }
}
