package org.quasi.versions.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The search an unstable inline cache makes at each call: a small hidden class, written once per key shape, whose
 * static method {@code find(InlineCache, K1..Kn)} scans the cache's current rows ({@link InlineCache#rows}, read
 * once per call from a volatile field) and returns the invoker of the first row whose key values equal the
 * arguments, or the cache's {@link InlineCache#missInvoker}. Objects compare by identity; primitives by value, as
 * the {@code long} each row keeps (floats and doubles by their bits, as the key table compares them); nothing is
 * boxed.
 *
 * <p>Why bytecode rather than method-handle combinators: the cache's rows change whenever a key arrives or leaves.
 * A chain of {@code guardWithTest}s rebuilt each time is a new tree of lambda forms that the JVM interprets, then
 * spins classes for, then compiles, at every rebuild; and a call through a handle read from a field is not inlined.
 * This method is compiled once, is a constant of the call site's target, and reads only data, so a rebuild is one
 * array write and costs callers nothing.
 */
final class KeyProbe {

  private static final String CACHE = Type.getInternalName(InlineCache.class);
  private static final String ENTRY = Type.getInternalName(CacheEntry.class);
  private static final String ROWS_DESC = "[" + Type.getDescriptor(CacheEntry.class);

  private KeyProbe() {
  }

  /**
   * A handle {@code (InlineCache, K1..Kn)Object} on a new probe for keys of these types.
   *
   * @param keyTypes each key's type: a primitive type, or any reference type (compared by identity)
   */
  static MethodHandle find(final Class<?>[] keyTypes) {
    final Class<?>[] params = new Class<?>[keyTypes.length + 1];
    params[0] = InlineCache.class;
    for (int k = 0; k < keyTypes.length; k++) {
      params[k + 1] = keyTypes[k].isPrimitive() ? keyTypes[k] : Object.class;
    }
    final MethodType type = MethodType.methodType(Object.class, params);
    try {
      final MethodHandles.Lookup host = MethodHandles.lookup();
      final MethodHandles.Lookup probe = host.defineHiddenClass(write(type), true);
      return probe.findStatic(probe.lookupClass(), "find", type);
    } catch (IllegalAccessException | NoSuchMethodException e) {
      throw new IllegalStateException("cannot define the inline cache's key probe for " + type, e);
    }
  }

  private static byte[] write(final MethodType type) {
    final String host = KeyProbe.class.getPackageName().replace('.', '/') + "/KeyProbe$Find";
    // Its frames merge no two distinct reference types, so ASM loads no class to compute them.
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        throw new IllegalStateException("the key probe merges no reference types: " + type1 + ", " + type2);
      }
    };
    cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, host, null,
        "java/lang/Object", null);
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "find", type.toMethodDescriptorString(), null, null);
    mv.visitCode();
    int local = 1;
    final int[] slots = new int[type.parameterCount()];
    for (int p = 1; p < type.parameterCount(); p++) {
      slots[p] = local;
      local += Type.getType(type.parameterType(p)).getSize();
    }
    final int rows = local;
    final int index = local + 1;
    final int entry = local + 2;
    final Label loop = new Label();
    final Label next = new Label();
    final Label miss = new Label();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, CACHE, "rows", ROWS_DESC);
    mv.visitVarInsn(Opcodes.ASTORE, rows);
    mv.visitInsn(Opcodes.ICONST_0);
    mv.visitVarInsn(Opcodes.ISTORE, index);
    mv.visitLabel(loop);
    mv.visitVarInsn(Opcodes.ILOAD, index);
    mv.visitVarInsn(Opcodes.ALOAD, rows);
    mv.visitInsn(Opcodes.ARRAYLENGTH);
    mv.visitJumpInsn(Opcodes.IF_ICMPGE, miss);
    mv.visitVarInsn(Opcodes.ALOAD, rows);
    mv.visitVarInsn(Opcodes.ILOAD, index);
    mv.visitInsn(Opcodes.AALOAD);
    mv.visitVarInsn(Opcodes.ASTORE, entry);
    int ref = 0;
    int prim = 0;
    for (int p = 1; p < type.parameterCount(); p++) {
      final Class<?> k = type.parameterType(p);
      mv.visitVarInsn(Opcodes.ALOAD, entry);
      if (!k.isPrimitive()) {
        if (ref < CacheEntry.FIELD_KEYS) {
          mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "r" + ref++, "Ljava/lang/Object;");
        } else {
          mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "refs", "[Ljava/lang/Object;");
          push(mv, ref++);
          mv.visitInsn(Opcodes.AALOAD);
        }
        mv.visitVarInsn(Opcodes.ALOAD, slots[p]);
        mv.visitJumpInsn(Opcodes.IF_ACMPNE, next);
      } else {
        if (prim < CacheEntry.FIELD_KEYS) {
          mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "p" + prim++, "J");
        } else {
          mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "prims", "[J");
          push(mv, prim++);
          mv.visitInsn(Opcodes.LALOAD);
        }
        loadAsLong(mv, k, slots[p]);
        mv.visitInsn(Opcodes.LCMP);
        mv.visitJumpInsn(Opcodes.IFNE, next);
      }
    }
    // A hit: count it (a plain increment, as the constant chain's) and return the row's invoker.
    mv.visitVarInsn(Opcodes.ALOAD, entry);
    mv.visitInsn(Opcodes.DUP);
    mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "hits", "J");
    mv.visitInsn(Opcodes.LCONST_1);
    mv.visitInsn(Opcodes.LADD);
    mv.visitFieldInsn(Opcodes.PUTFIELD, ENTRY, "hits", "J");
    mv.visitVarInsn(Opcodes.ALOAD, entry);
    mv.visitFieldInsn(Opcodes.GETFIELD, ENTRY, "invoker", "Ljava/lang/Object;");
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitLabel(next);
    mv.visitIincInsn(index, 1);
    mv.visitJumpInsn(Opcodes.GOTO, loop);
    mv.visitLabel(miss);
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitFieldInsn(Opcodes.GETFIELD, CACHE, "missInvoker", "Ljava/lang/Object;");
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Loads a primitive key as the {@code long} {@link #asLong} would give for its boxed value. */
  private static void loadAsLong(final MethodVisitor mv, final Class<?> k, final int slot) {
    if (k == long.class) {
      mv.visitVarInsn(Opcodes.LLOAD, slot);
    } else if (k == double.class) {
      mv.visitVarInsn(Opcodes.DLOAD, slot);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Double", "doubleToLongBits", "(D)J", false);
    } else if (k == float.class) {
      mv.visitVarInsn(Opcodes.FLOAD, slot);
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Float", "floatToIntBits", "(F)I", false);
      mv.visitInsn(Opcodes.I2L);
    } else {
      mv.visitVarInsn(Opcodes.ILOAD, slot);
      mv.visitInsn(Opcodes.I2L);
    }
  }

  /**
   * The {@code long} a row keeps for a primitive key's boxed value: what {@link #loadAsLong} computes from the
   * argument, so that equal keys (by {@code equals} of their boxes) compare equal.
   */
  static long asLong(final Object boxed) {
    if (boxed instanceof Long l) {
      return l;
    }
    if (boxed instanceof Double d) {
      return Double.doubleToLongBits(d);
    }
    if (boxed instanceof Float f) {
      return Float.floatToIntBits(f);
    }
    if (boxed instanceof Boolean b) {
      return b ? 1 : 0;
    }
    if (boxed instanceof Character c) {
      return c;
    }
    return ((Number) boxed).intValue();
  }

  private static void push(final MethodVisitor mv, final int value) {
    if (value <= 5) {
      mv.visitInsn(Opcodes.ICONST_0 + value);
    } else if (value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(Opcodes.BIPUSH, value);
    } else {
      mv.visitIntInsn(Opcodes.SIPUSH, value);
    }
  }
}
