package org.quasi.versions.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Writes (ASM) and defines the adapter from an entry's interface to a version's residual interface: a hidden class
 * whose method drops the key arguments and calls the residual code with the others, so that the JIT inlines the
 * version straight into the dispatcher. Each version is an instance holding its residual code in a final field,
 * which the JIT trusts (a hidden class's) wherever the instance is a constant. The class is defined once per
 * residual class by the version manager: versions sharing a residual class share its adapter, whose call then
 * always reaches the same class and inlines.
 */
public final class VersionAdapters {

  private VersionAdapters() {
  }

  /**
   * A constructor {@code (Object)Object} of a class implementing {@code type} whose method calls its argument's
   * (a {@code residualType}'s) method {@code residualSam} with the arguments that are not keys, or {@code null} when
   * the parameter and return types do not match exactly (the caller then adapts through method handles) or the
   * interfaces are not visible from {@code lookup}'s class loader.
   *
   * @param lookup where the class is defined (the entry point's lookup, with full privilege access)
   */
  public static MethodHandle adapterClass(final MethodHandles.Lookup lookup, final Class<?> type, final Method sam,
      final int[] keys, final Class<?> residualType, final Method residualSam) {
    if (!visible(lookup, type) || !visible(lookup, residualType)
        || sam.getReturnType() != residualSam.getReturnType()) {
      return null;
    }
    final Class<?>[] all = sam.getParameterTypes();
    final java.util.List<Integer> kept = new java.util.ArrayList<>();
    for (int i = 0; i < all.length; i++) {
      boolean key = false;
      for (final int k : keys) {
        key |= k == i;
      }
      if (!key) {
        kept.add(i);
      }
    }
    final Class<?>[] residualParams = residualSam.getParameterTypes();
    if (residualParams.length != kept.size()) {
      return null;
    }
    for (int i = 0; i < residualParams.length; i++) {
      if (residualParams[i] != all[kept.get(i)]) {
        return null;
      }
    }
    final String pkg = lookup.lookupClass().getPackageName().replace('.', '/');
    final String name = (pkg.isEmpty() ? "" : pkg + "/") + "QuasiVersionAdapter";
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    final String itf = Type.getInternalName(type);
    final String rItf = Type.getInternalName(residualType);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC, name, null, "java/lang/Object", new String[] {itf});
    cw.visitField(ACC_PRIVATE | ACC_FINAL, "target", "L" + rItf + ";", null, null).visitEnd();
    final MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "(Ljava/lang/Object;)V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitVarInsn(ALOAD, 0);
    init.visitVarInsn(ALOAD, 1);
    init.visitTypeInsn(CHECKCAST, rItf);
    init.visitFieldInsn(PUTFIELD, name, "target", "L" + rItf + ";");
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();
    final String desc = Type.getMethodDescriptor(sam);
    final Type[] params = Type.getArgumentTypes(desc);
    final int[] slots = new int[params.length];
    int next = 1;
    for (int i = 0; i < params.length; i++) {
      slots[i] = next;
      next += params[i].getSize();
    }
    final MethodVisitor m = cw.visitMethod(ACC_PUBLIC, sam.getName(), desc, null, null);
    m.visitCode();
    m.visitVarInsn(ALOAD, 0);
    m.visitFieldInsn(GETFIELD, name, "target", "L" + rItf + ";");
    for (final int i : kept) {
      m.visitVarInsn(params[i].getOpcode(ILOAD), slots[i]);
    }
    m.visitMethodInsn(INVOKEINTERFACE, rItf, residualSam.getName(), Type.getMethodDescriptor(residualSam), true);
    m.visitInsn(Type.getReturnType(desc).getOpcode(IRETURN));
    m.visitMaxs(0, 0);
    m.visitEnd();
    cw.visitEnd();
    try {
      final MethodHandles.Lookup adapter = lookup.defineHiddenClass(cw.toByteArray(), true);
      return adapter.findConstructor(adapter.lookupClass(), MethodType.methodType(void.class, Object.class))
          .asType(MethodType.methodType(Object.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define the version adapter of " + type.getName() + ": " + e, e);
    }
  }

  private static boolean visible(final MethodHandles.Lookup lookup, final Class<?> type) {
    try {
      lookup.accessClass(type);
      return Class.forName(type.getName(), false, lookup.lookupClass().getClassLoader()) == type;
    } catch (ClassNotFoundException | IllegalAccessException e) {
      return false;
    }
  }
}
