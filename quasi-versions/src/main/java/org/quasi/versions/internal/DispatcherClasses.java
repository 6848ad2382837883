package org.quasi.versions.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Writes (ASM) and defines the inline-cache dispatcher of an entry point with one reference-typed key: a hidden class
 * implementing the entry's interface whose method compares the key argument with {@link #ENTRIES} cached keys by
 * identity and calls the matching key's replugger invoker directly; on a miss it boxes the arguments and calls the
 * {@link SlowPath}.
 */
public final class DispatcherClasses {

  /** Cached keys per dispatcher. */
  public static final int ENTRIES = 2;

  private static final String ENTRY = Type.getInternalName(CacheEntry.class);
  private static final String SLOW = Type.getInternalName(SlowPath.class);

  /** A defined dispatcher: the instance, and handles on its cache entries and slow path. */
  public record Dispatcher(Object instance, VarHandle[] entries) {
  }

  private DispatcherClasses() {
  }

  /**
   * Defines a dispatcher for {@code type}'s method {@code sam} keyed on argument {@code keyIndex}, or returns
   * {@code null} when this loader cannot see {@code type} or it is not public (the caller then dispatches through
   * method handles).
   */
  public static Dispatcher define(final Class<?> type, final Method sam, final int keyIndex, final SlowPath slow) {
    if (!visible(type) || sam.getParameterTypes()[keyIndex].isPrimitive()) {
      return null;
    }
    final MethodHandles.Lookup here = MethodHandles.lookup();
    final String name = DispatcherClasses.class.getPackageName().replace('.', '/') + "/Dispatcher";
    final byte[] bytes = write(name, type, sam, keyIndex);
    try {
      final MethodHandles.Lookup hidden = here.defineHiddenClass(bytes, true);
      final Class<?> c = hidden.lookupClass();
      hidden.findStaticVarHandle(c, "SLOW", SlowPath.class).setVolatile(slow);
      final VarHandle[] entries = new VarHandle[ENTRIES];
      for (int i = 0; i < ENTRIES; i++) {
        entries[i] = hidden.findStaticVarHandle(c, "E" + i, CacheEntry.class);
      }
      return new Dispatcher(c.getConstructor().newInstance(), entries);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define the dispatcher of " + type.getName() + ": " + e, e);
    }
  }

  /**
   * An instance of {@code type} whose method calls {@code residual}'s method {@code residualSam} with the arguments
   * that are not keys, or {@code null} when the parameter and return types do not match exactly (the caller then
   * adapts through method handles) or the interfaces are not visible to Quasi.
   */
  public static Object adapter(final Class<?> type, final Method sam, final int[] keys, final Class<?> residualType,
      final Method residualSam, final Object residual) {
    if (!visible(type) || !visible(residualType) || sam.getReturnType() != residualSam.getReturnType()) {
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
    final String name = DispatcherClasses.class.getPackageName().replace('.', '/') + "/VersionAdapter";
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
      final Class<?> c = MethodHandles.lookup().defineHiddenClass(cw.toByteArray(), true).lookupClass();
      return c.getConstructor(Object.class).newInstance(residual);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot define the version adapter of " + type.getName() + ": " + e, e);
    }
  }

  private static boolean visible(final Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
      if (!Modifier.isPublic(c.getModifiers())) {
        return false;
      }
    }
    try {
      return Class.forName(type.getName(), false, DispatcherClasses.class.getClassLoader()) == type;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static byte[] write(final String name, final Class<?> type, final Method sam, final int keyIndex) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    final String itf = Type.getInternalName(type);
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SYNTHETIC, name, null, "java/lang/Object", new String[] {itf});
    cw.visitField(ACC_STATIC | ACC_VOLATILE, "SLOW", "L" + SLOW + ";", null, null).visitEnd();
    for (int i = 0; i < ENTRIES; i++) {
      cw.visitField(ACC_STATIC | ACC_VOLATILE, "E" + i, "L" + ENTRY + ";", null, null).visitEnd();
    }
    final MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(ALOAD, 0);
    init.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    final String desc = Type.getMethodDescriptor(sam);
    final Type[] params = Type.getArgumentTypes(desc);
    final Type ret = Type.getReturnType(desc);
    final int[] slots = new int[params.length];
    int next = 1;
    for (int i = 0; i < params.length; i++) {
      slots[i] = next;
      next += params[i].getSize();
    }
    final int entryLocal = next;
    final MethodVisitor m = cw.visitMethod(ACC_PUBLIC, sam.getName(), desc, null, null);
    m.visitCode();
    for (int i = 0; i < ENTRIES; i++) {
      final Label miss = new Label();
      m.visitFieldInsn(GETSTATIC, name, "E" + i, "L" + ENTRY + ";");
      m.visitVarInsn(ASTORE, entryLocal);
      m.visitVarInsn(ALOAD, entryLocal);
      m.visitJumpInsn(IFNULL, miss);
      m.visitVarInsn(ALOAD, entryLocal);
      m.visitFieldInsn(GETFIELD, ENTRY, "key", "Ljava/lang/Object;");
      m.visitVarInsn(ALOAD, slots[keyIndex]);
      m.visitJumpInsn(IF_ACMPNE, miss);
      // entry.hits++ (plain: lossy under contention, documented)
      m.visitVarInsn(ALOAD, entryLocal);
      m.visitInsn(DUP);
      m.visitFieldInsn(GETFIELD, ENTRY, "hits", "J");
      m.visitInsn(LCONST_1);
      m.visitInsn(LADD);
      m.visitFieldInsn(PUTFIELD, ENTRY, "hits", "J");
      m.visitVarInsn(ALOAD, entryLocal);
      m.visitFieldInsn(GETFIELD, ENTRY, "target", "Ljava/lang/Object;");
      m.visitTypeInsn(CHECKCAST, itf);
      for (int p = 0; p < params.length; p++) {
        m.visitVarInsn(params[p].getOpcode(ILOAD), slots[p]);
      }
      m.visitMethodInsn(INVOKEINTERFACE, itf, sam.getName(), desc, true);
      m.visitInsn(ret.getOpcode(IRETURN));
      m.visitLabel(miss);
    }
    m.visitFieldInsn(GETSTATIC, name, "SLOW", "L" + SLOW + ";");
    pushInt(m, params.length);
    m.visitTypeInsn(ANEWARRAY, "java/lang/Object");
    for (int p = 0; p < params.length; p++) {
      m.visitInsn(DUP);
      pushInt(m, p);
      m.visitVarInsn(params[p].getOpcode(ILOAD), slots[p]);
      box(m, params[p]);
      m.visitInsn(AASTORE);
    }
    m.visitMethodInsn(INVOKEINTERFACE, SLOW, "call", "([Ljava/lang/Object;)Ljava/lang/Object;", true);
    unboxAndReturn(m, ret);
    m.visitMaxs(0, 0);
    m.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static void pushInt(final MethodVisitor m, final int value) {
    if (value <= 5) {
      m.visitInsn(ICONST_0 + value);
    } else {
      m.visitIntInsn(BIPUSH, value);
    }
  }

  private static void box(final MethodVisitor m, final Type t) {
    final String box = boxName(t);
    if (box != null) {
      m.visitMethodInsn(INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false);
    }
  }

  private static void unboxAndReturn(final MethodVisitor m, final Type ret) {
    if (ret.getSort() == Type.VOID) {
      m.visitInsn(POP);
      m.visitInsn(RETURN);
      return;
    }
    final String box = boxName(ret);
    if (box == null) {
      m.visitTypeInsn(CHECKCAST, ret.getInternalName());
    } else {
      m.visitTypeInsn(CHECKCAST, box);
      m.visitMethodInsn(INVOKEVIRTUAL, box, ret.getClassName() + "Value", "()" + ret.getDescriptor(), false);
    }
    m.visitInsn(ret.getOpcode(IRETURN));
  }

  private static String boxName(final Type t) {
    return switch (t.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.CHAR -> "java/lang/Character";
      case Type.BYTE -> "java/lang/Byte";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.FLOAT -> "java/lang/Float";
      case Type.LONG -> "java/lang/Long";
      case Type.DOUBLE -> "java/lang/Double";
      default -> null;
    };
  }
}
