package org.quasi.versions.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The target of an unstable inline cache's call site: a hidden class, one per entry point, defined through the entry
 * point's lookup, whose static method takes the entry's arguments, reads the keys from them (a field key once), scans
 * the cache's current rows and calls the invoker of the first row whose keys equal the call's, with an
 * {@code invokeinterface} of the entry's interface; a call whose keys no row holds, or whose field key is read from
 * {@code null}, calls the cache's miss invoker the same way (it reads the keys again and takes the full dispatch).
 *
 * <pre>
 * R dispatch(a0..am) {
 *   k1 = a_i.f; ...                                   // null a_i: miss
 *   for (Object[] row : rows.get())                   // a volatile read, once per call
 *     if (row[2] == k1 &amp;&amp; ((long[]) row[1])[1] == k2 ...) { hits++; return ((F) row[0]).m(a0..am); }
 *   return ((F) miss).m(a0..am);                       // miss: class data, a constant
 * }
 * </pre>
 *
 * <p>A row ({@link #row}) is an {@code Object[]}: the invoker, a {@code long[]} of the hit count then the primitive
 * keys ({@link #asLong}: floats and doubles by their bits, as the key table compares them), then the object keys,
 * compared by identity. Nothing is boxed at a call.
 *
 * <p>Why one method of bytecode: from the program's call to the version there is the entry function, the call
 * site's invoker, this method, the version's adapter and the residual code, and nothing else: no lambda forms that
 * read the keys, no second class that scans. C2 inlines a callee only within its inlining depth and its budget of
 * bytecodes per compilation, both spent by every frame between a hot loop and the code it calls; a chain of method
 * handles spends them on lambda forms, and a program whose loop holds much else then leaves some link a real call,
 * in some JVMs and not others. The hit's {@code invokeinterface} is this entry's own, so its type profile sees only
 * the versions (monomorphic when they share their class, and then inlined); the miss has a call of its own.
 *
 * <p>The generated code names only JDK types, the entry's interface and the key fields' classes, as the entry
 * point's own code could: the rows holder, the miss invoker and the getters of key fields it may not read with a
 * {@code getfield} of its own are class data. Defined through the entry point's lookup, with no access beyond it.
 */
final class ProbeDispatch {

  /** Row layout: the invoker. */
  static final int INVOKER = 0;
  /** Row layout: the {@code long[]}: hits, then the primitive keys. */
  static final int LONGS = 1;
  /** Row layout: the first object key; the others follow. */
  static final int FIRST_REF = 2;

  private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, Type.getInternalName(MethodHandles.class),
      "classDataAt", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
          + "Ljava/lang/Object;", false);
  private static final String ATOMIC = Type.getInternalName(AtomicReference.class);
  private static final String METHOD_HANDLE = Type.getInternalName(MethodHandle.class);

  private ProbeDispatch() {
  }

  /**
   * A row for the probe: {@code keyValues} (boxed primitives, in key order) split as the class comment says.
   *
   * @param keyTypes each key's type
   */
  static Object[] row(final Object invoker, final Class<?>[] keyTypes, final Object[] keyValues) {
    int refs = 0;
    for (final Class<?> k : keyTypes) {
      refs += k.isPrimitive() ? 0 : 1;
    }
    final long[] longs = new long[1 + keyTypes.length - refs];
    final Object[] row = new Object[FIRST_REF + refs];
    row[INVOKER] = invoker;
    row[LONGS] = longs;
    int ref = 0;
    int prim = 0;
    for (int k = 0; k < keyTypes.length; k++) {
      if (keyTypes[k].isPrimitive()) {
        longs[1 + prim++] = asLong(keyValues[k]);
      } else {
        row[FIRST_REF + ref++] = keyValues[k];
      }
    }
    return row;
  }

  /** The calls a row served (approximate under contention: the probe's increment is plain). */
  static long hits(final Object[] row) {
    return ((long[]) row[LONGS])[0];
  }

  /**
   * A handle of the entry's method type on a new dispatch class.
   *
   * @param lookup     the entry point's lookup (full privilege access; sees the interface and argument types)
   * @param type       the entry's functional interface
   * @param sam        its method
   * @param keys       where each key value comes from
   * @param extractors per key, a handle from its argument (as the interface types it) to the key value
   * @param rows       the rows the probe scans, replaced whole at every rebuild
   * @param miss       an instance of {@code type} that reads the keys again and takes the full dispatch
   */
  static MethodHandle define(final MethodHandles.Lookup lookup, final Class<?> type, final Method sam,
      final List<KeySource> keys, final MethodHandle[] extractors, final AtomicReference<Object[]> rows,
      final Object miss) {
    final String pkg = lookup.lookupClass().getPackageName().replace('.', '/');
    final String name = (pkg.isEmpty() ? "" : pkg + "/") + "QuasiProbeDispatch";
    final List<Object> data = new ArrayList<>(List.of(rows, miss));
    final int[] getter = new int[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      getter[k] = keys.get(k).isField() && !readable(lookup, keys.get(k).field()) ? data.size() : -1;
      if (getter[k] >= 0) {
        data.add(extractors[k]);
      }
    }
    final MethodType entryType = MethodType.methodType(sam.getReturnType(), sam.getParameterTypes());
    final byte[] bytes = write(name, type, sam, entryType, keys, extractors, getter);
    try {
      final MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, List.copyOf(data), true);
      return hidden.findStatic(hidden.lookupClass(), "dispatch", entryType);
    } catch (IllegalAccessException | NoSuchMethodException e) {
      throw new IllegalStateException("cannot define the probe dispatch of " + type.getName() + " in "
          + lookup.lookupClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether a class defined in {@code lookup}'s package (not its nest) may read {@code f} with a {@code getfield}
   * of its own: a public field of a public class the lookup can access, or a non-private field of a class of the
   * same runtime package.
   */
  private static boolean readable(final MethodHandles.Lookup lookup, final Field f) {
    final Class<?> owner = f.getDeclaringClass();
    final Class<?> host = lookup.lookupClass();
    final int m = f.getModifiers();
    if (Modifier.isPrivate(m)) {
      return false;
    }
    if (owner.getClassLoader() == host.getClassLoader() && owner.getPackageName().equals(host.getPackageName())) {
      return true;
    }
    if (!Modifier.isPublic(m) || !Modifier.isPublic(owner.getModifiers())) {
      return false;
    }
    try {
      lookup.accessClass(owner);
      // The class's name must also resolve to it from the lookup's loader, as the getfield will resolve it.
      return Class.forName(owner.getName(), false, host.getClassLoader()) == owner;
    } catch (IllegalAccessException | ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static byte[] write(final String name, final Class<?> type, final Method sam, final MethodType entryType,
      final List<KeySource> keys, final MethodHandle[] extractors, final int[] getter) {
    // Each local holds one type on every path, so no two reference types are merged and ASM loads no class.
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        throw new IllegalStateException("the probe dispatch merges no reference types: " + type1 + ", " + type2);
      }
    };
    cw.visit(V17, ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, name, null, "java/lang/Object", null);
    final String desc = entryType.toMethodDescriptorString();
    final MethodVisitor mv = cw.visitMethod(ACC_STATIC, "dispatch", desc, null, null);
    mv.visitCode();
    final Type[] params = Type.getArgumentTypes(desc);
    final int[] slots = new int[params.length];
    int next = 0;
    for (int p = 0; p < params.length; p++) {
      slots[p] = next;
      next += params[p].getSize();
    }
    final Label miss = new Label();
    // The keys, in locals: an argument key is its argument's slot; a field key is read once.
    final int[] keySlot = new int[keys.size()];
    final Type[] keyType = new Type[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      final KeySource source = keys.get(k);
      final int arg = source.argument();
      keyType[k] = Type.getType(extractors[k].type().returnType());
      if (!source.isField()) {
        keySlot[k] = slots[arg];
        continue;
      }
      mv.visitVarInsn(ALOAD, slots[arg]);
      mv.visitJumpInsn(IFNULL, miss);
      if (getter[k] >= 0) {
        classData(mv, getter[k], METHOD_HANDLE);
        mv.visitVarInsn(ALOAD, slots[arg]);
        mv.visitMethodInsn(INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact",
            Type.getMethodDescriptor(keyType[k], params[arg]), false);
      } else {
        final Field f = source.field();
        final String owner = Type.getInternalName(f.getDeclaringClass());
        mv.visitVarInsn(ALOAD, slots[arg]);
        if (!f.getDeclaringClass().isAssignableFrom(entryType.parameterType(arg))) {
          mv.visitTypeInsn(CHECKCAST, owner);
        }
        mv.visitFieldInsn(GETFIELD, owner, f.getName(), Type.getDescriptor(f.getType()));
        if (!keyType[k].equals(Type.getType(f.getType()))) {
          mv.visitTypeInsn(CHECKCAST, keyType[k].getInternalName());
        }
      }
      keySlot[k] = next;
      mv.visitVarInsn(keyType[k].getOpcode(ISTORE), next);
      next += keyType[k].getSize();
    }
    final int rows = next++;
    final int index = next++;
    final int row = next++;
    final int longs = next;
    classData(mv, 0, ATOMIC);
    mv.visitMethodInsn(INVOKEVIRTUAL, ATOMIC, "get", "()Ljava/lang/Object;", false);
    mv.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
    mv.visitVarInsn(ASTORE, rows);
    mv.visitInsn(ICONST_0);
    mv.visitVarInsn(ISTORE, index);
    final Label loop = new Label();
    final Label nextRow = new Label();
    mv.visitLabel(loop);
    mv.visitVarInsn(ILOAD, index);
    mv.visitVarInsn(ALOAD, rows);
    mv.visitInsn(ARRAYLENGTH);
    mv.visitJumpInsn(IF_ICMPGE, miss);
    mv.visitVarInsn(ALOAD, rows);
    mv.visitVarInsn(ILOAD, index);
    mv.visitInsn(AALOAD);
    mv.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
    mv.visitVarInsn(ASTORE, row);
    mv.visitVarInsn(ALOAD, row);
    push(mv, LONGS);
    mv.visitInsn(AALOAD);
    mv.visitTypeInsn(CHECKCAST, "[J");
    mv.visitVarInsn(ASTORE, longs);
    int ref = 0;
    int prim = 0;
    for (int k = 0; k < keys.size(); k++) {
      if (keyType[k].getSort() == Type.OBJECT || keyType[k].getSort() == Type.ARRAY) {
        mv.visitVarInsn(ALOAD, row);
        push(mv, FIRST_REF + ref++);
        mv.visitInsn(AALOAD);
        mv.visitVarInsn(ALOAD, keySlot[k]);
        mv.visitJumpInsn(IF_ACMPNE, nextRow);
      } else {
        mv.visitVarInsn(ALOAD, longs);
        push(mv, 1 + prim++);
        mv.visitInsn(LALOAD);
        loadAsLong(mv, keyType[k], keySlot[k]);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, nextRow);
      }
    }
    // A hit: count it (a plain increment, as the constant chain's) and call the row's invoker.
    mv.visitVarInsn(ALOAD, longs);
    mv.visitInsn(ICONST_0);
    mv.visitInsn(DUP2);
    mv.visitInsn(LALOAD);
    mv.visitInsn(LCONST_1);
    mv.visitInsn(LADD);
    mv.visitInsn(LASTORE);
    mv.visitVarInsn(ALOAD, row);
    push(mv, INVOKER);
    mv.visitInsn(AALOAD);
    callAndReturn(mv, type, sam, params, slots);
    mv.visitLabel(nextRow);
    mv.visitIincInsn(index, 1);
    mv.visitJumpInsn(GOTO, loop);
    mv.visitLabel(miss);
    classData(mv, 1, "java/lang/Object");
    callAndReturn(mv, type, sam, params, slots);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** With an invoker on the stack: calls the entry's method on it with every argument and returns its result. */
  private static void callAndReturn(final MethodVisitor mv, final Class<?> type, final Method sam,
      final Type[] params, final int[] slots) {
    final String itf = Type.getInternalName(type);
    mv.visitTypeInsn(CHECKCAST, itf);
    for (int p = 0; p < params.length; p++) {
      mv.visitVarInsn(params[p].getOpcode(ILOAD), slots[p]);
    }
    mv.visitMethodInsn(INVOKEINTERFACE, itf, sam.getName(), Type.getMethodDescriptor(sam), true);
    mv.visitInsn(Type.getType(sam.getReturnType()).getOpcode(IRETURN));
  }

  /** Pushes class data element {@code index} as {@code internalName} (a constant to the JIT). */
  private static void classData(final MethodVisitor mv, final int index, final String internalName) {
    mv.visitLdcInsn(new ConstantDynamic("_", "L" + internalName + ";", CLASS_DATA_AT, index));
  }

  /** Loads a primitive key as the {@code long} {@link #asLong} would give for its boxed value. */
  private static void loadAsLong(final MethodVisitor mv, final Type k, final int slot) {
    switch (k.getSort()) {
      case Type.LONG -> mv.visitVarInsn(LLOAD, slot);
      case Type.DOUBLE -> {
        mv.visitVarInsn(DLOAD, slot);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToLongBits", "(D)J", false);
      }
      case Type.FLOAT -> {
        mv.visitVarInsn(FLOAD, slot);
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToIntBits", "(F)I", false);
        mv.visitInsn(I2L);
      }
      default -> {
        mv.visitVarInsn(ILOAD, slot);
        mv.visitInsn(I2L);
      }
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
      mv.visitInsn(ICONST_0 + value);
    } else if (value <= Byte.MAX_VALUE) {
      mv.visitIntInsn(BIPUSH, value);
    } else {
      mv.visitIntInsn(SIPUSH, value);
    }
  }
}
