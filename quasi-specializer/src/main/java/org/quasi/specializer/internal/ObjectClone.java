package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * A call {@code invokevirtual java/lang/Object.clone()}, as kotlinc compiles an array's {@code clone()} (every
 * enum's {@code values()}), where javac names the array type. The verifier lets the protected {@code Object.clone}
 * take an array receiver there (an array's clone is public, JLS 10.7) as well as one of the calling class; the
 * lookup's {@code findVirtual} handle takes only the latter, so residual code calls a handle that clones an array as
 * an array and passes any other receiver to the lookup's handle.
 */
final class ObjectClone {
  private static final MethodHandle IS_ARRAY;
  private static final MethodHandle CLONE_ARRAY;

  static {
    try {
      final MethodHandles.Lookup lookup = MethodHandles.lookup();
      IS_ARRAY = lookup.findStatic(ObjectClone.class, "isArray", MethodType.methodType(boolean.class, Object.class));
      CLONE_ARRAY = lookup.findStatic(ObjectClone.class, "cloneArray",
          MethodType.methodType(Object.class, Object.class));
    } catch (final ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private ObjectClone() {}

  /** Whether {@code m} is {@code Object.clone()} named on {@code java/lang/Object}, whose receiver may be an array. */
  static boolean mayTakeAnArray(final MethodInsnNode m) {
    return m.getOpcode() == INVOKEVIRTUAL && m.owner.equals("java/lang/Object") && m.name.equals("clone")
        && m.desc.equals("()Ljava/lang/Object;");
  }

  /**
   * The call's handle, of type {@code (Object)Object}: an array is cloned as an array, anything else (null
   * included, which throws as the original's call does) goes to {@code own}, the lookup's handle on its class.
   */
  static MethodHandle dispatch(final MethodHandle own) {
    return MethodHandles.guardWithTest(IS_ARRAY, CLONE_ARRAY,
        own.asType(MethodType.methodType(Object.class, Object.class)));
  }

  private static boolean isArray(final Object o) {
    return o != null && o.getClass().isArray();
  }

  /** An array's public clone: a shallow copy of the same class, as {@code invokevirtual [T.clone} makes. */
  private static Object cloneArray(final Object a) {
    if (a instanceof Object[] x) {
      return x.clone();
    }
    if (a instanceof int[] x) {
      return x.clone();
    }
    if (a instanceof long[] x) {
      return x.clone();
    }
    if (a instanceof byte[] x) {
      return x.clone();
    }
    if (a instanceof char[] x) {
      return x.clone();
    }
    if (a instanceof double[] x) {
      return x.clone();
    }
    if (a instanceof float[] x) {
      return x.clone();
    }
    if (a instanceof short[] x) {
      return x.clone();
    }
    return ((boolean[]) a).clone();
  }
}
