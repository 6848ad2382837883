package org.quasi.versions.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The target of an unstable inline cache's call site: a hidden class, one per entry point, defined through the entry
 * point's lookup, whose static method {@code dispatch(k1..kn, a1..am)} asks the {@link KeyProbe} for the key's
 * invoker (or the cache's miss invoker, which takes the full dispatch) and calls it with an {@code invokeinterface}
 * of the entry's interface.
 *
 * <pre>
 * return ((F) find.invokeExact(k1..kn)).m(a1..am);   // find: class data, the probe bound to the cache
 * </pre>
 *
 * <p>Kept under the JIT's inlining limit for call sites it has no profile of (35 bytes of bytecode), which is how it
 * sees a method called from the site's lambda forms: the miss is not a branch here but an invoker the probe
 * returns.
 *
 * <p>Why bytecode of its own: the JIT inlines an interface call according to the type profile of that call's
 * bytecode. Called through a method handle, the call is made by a lambda form that every interface handle of the
 * same shape in the JVM shares, so it has no profile of this entry's keys and stays an itable call. Here the call is
 * this entry's own: when its keys' versions share one class (a version adapter over a shared residual class) the
 * profile is monomorphic and the version inlines into the caller, as it does through a stable cache's constant
 * chain. Defined through the entry point's lookup, it names the entry's interface and argument types with exactly
 * the access the entry point already has.
 */
final class ProbeDispatch {

  private static final String METHOD_HANDLE = Type.getInternalName(MethodHandle.class);

  private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, Type.getInternalName(MethodHandles.class),
      "classDataAt", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
          + "Ljava/lang/Object;", false);

  private ProbeDispatch() {
  }

  /**
   * A handle of type {@code siteType} on a new dispatch class.
   *
   * @param lookup   the entry point's lookup (full privilege access; sees the interface and argument types)
   * @param type     the entry's functional interface
   * @param sam      its method
   * @param siteType the call site's type: the key values, then the interface method's arguments
   * @param keys     how many leading parameters of {@code siteType} are key values
   * @param find     {@code (k1..kn)Object}: the key's invoker, or the miss invoker
   */
  static MethodHandle define(final MethodHandles.Lookup lookup, final Class<?> type, final Method sam,
      final MethodType siteType, final int keys, final MethodHandle find) {
    final String pkg = lookup.lookupClass().getPackageName().replace('.', '/');
    final String name = (pkg.isEmpty() ? "" : pkg + "/") + "QuasiProbeDispatch";
    final byte[] bytes = write(name, type, sam, siteType, keys);
    try {
      final MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes,
          List.of(find.asType(MethodType.methodType(Object.class, siteType.parameterList().subList(0, keys)))), true);
      return hidden.findStatic(hidden.lookupClass(), "dispatch", siteType);
    } catch (IllegalAccessException | NoSuchMethodException e) {
      throw new IllegalStateException("cannot define the probe dispatch of " + type.getName() + " in "
          + lookup.lookupClass().getName() + ": " + e.getMessage(), e);
    }
  }

  private static byte[] write(final String name, final Class<?> type, final Method sam, final MethodType siteType,
      final int keys) {
    // Straight-line code: no frame, no type to merge.
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        throw new IllegalStateException("the probe dispatch merges no reference types: " + type1 + ", " + type2);
      }
    };
    cw.visit(V17, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, name, null, "java/lang/Object", null);
    final String desc = siteType.toMethodDescriptorString();
    final MethodVisitor mv = cw.visitMethod(ACC_STATIC, "dispatch", desc, null, null);
    mv.visitCode();
    final Type[] params = Type.getArgumentTypes(desc);
    final int[] slots = new int[params.length];
    int slot = 0;
    for (int p = 0; p < params.length; p++) {
      slots[p] = slot;
      slot += params[p].getSize();
    }
    mv.visitLdcInsn(new ConstantDynamic("_", "L" + METHOD_HANDLE + ";", CLASS_DATA_AT, 0));
    final StringBuilder findDesc = new StringBuilder("(");
    for (int p = 0; p < keys; p++) {
      mv.visitVarInsn(params[p].getOpcode(ILOAD), slots[p]);
      findDesc.append(params[p].getDescriptor());
    }
    mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact", findDesc + ")Ljava/lang/Object;", false);
    final String itf = Type.getInternalName(type);
    mv.visitTypeInsn(CHECKCAST, itf);
    for (int p = keys; p < params.length; p++) {
      mv.visitVarInsn(params[p].getOpcode(ILOAD), slots[p]);
    }
    mv.visitMethodInsn(INVOKEINTERFACE, itf, sam.getName(), Type.getMethodDescriptor(sam), true);
    mv.visitInsn(Type.getReturnType(desc).getOpcode(IRETURN));
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }
}
