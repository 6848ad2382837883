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
import org.quasi.runtime.internal.FunctionalShape;
import org.quasi.runtime.internal.InvokerClasses;

/**
 * An entry point's function: a hidden class implementing the entry's interface, defined through the entry point's
 * lookup, whose method asks the unstable cache's rows for the call's keys and calls what it finds with an
 * {@code invokeinterface} of its own: the row's invoker, or, when there are no rows (the cache is still a constant
 * chain), or none holds the keys, or a field key is read from {@code null}, the inline cache's call site behind an
 * invoker of its own (a constant).
 *
 * <pre>
 * public R m(a0..am) {
 *   return ((F) find(a0..am)).m(a0..am);              // one call site, whatever find returns
 * }
 * static Object find(a0..am) {
 *   Object[] rows = ROWS.get();                       // a volatile read; null until the cache is unstable
 *   k0 = a_i.f; ...                                   // null a_i: the site's invoker
 *   for (Object o : rows) {
 *     EntryFunction r = (EntryFunction) o;            // this very class
 *     if (r.k0 == k0 &amp;&amp; r.k1 == (long) k1 ...) { r.hits++; return r.invoker; }
 *   }
 *   return SITE;                                      // class data: an F calling the call site, a constant
 * }
 * </pre>
 *
 * <p>Why one call site for both: C2 inlines a callee that already has compiled code of more than a quarter of
 * {@code InlineSmallCode} only at a call site its profile shows hot. With a site for the rows and another for the call
 * site, the rows' was profiled while the cache was stable and nothing reached it; {@code m}'s profile stays that of
 * its first compilation, so in the signals app the shared residual code, compiled on its own meanwhile, was "already
 * compiled into a medium method" at a "cold" site and was called, not inlined, in every compilation after the switch
 * to rows (the app ran about 10% slower than with a larger {@code InlineSmallCode}). Here every call goes through the
 * one site: it is always hot, and its type profile (the site's invoker, then the rows' residual class) is mono- or
 * bimorphic, so both are inlined.
 *
 * <p>The rows are instances of the same class: a field per key, typed for this entry's keys. Objects compare by
 * identity; primitives by value, as the {@code long} a row keeps ({@link #asLong}: floats and doubles by their bits,
 * as the key table compares them). Nothing is boxed at a call, and a row's keys are fields, not array elements: no
 * bounds checks, no casts but the row's own (an array layout cost a nanosecond a call more).
 *
 * <p>Why the scan is in the function, not behind the call site: from the program's call to the version there is
 * this class's two methods and the residual code, which implements the entry's interface itself, and no lambda
 * form. C2 inlines a callee within its inlining depth and its budget of bytecodes per compilation, both spent by every frame between a hot
 * loop and the code it calls, and at a lambda form's call site, which has no profile of its own, it inlines only
 * methods of at most 35 bytes: behind the call site, a scan was "too big" in some compilations of the signals app,
 * and its interface call, profiled late, "virtual"; each such JVM ran the app a millisecond slower. Here the
 * program's call site, {@code m}'s call of {@code find} and {@code m}'s {@code invokeinterface} are all profiled
 * bytecode of their own: the versions' type profile is this entry's (monomorphic when they share their class, and
 * then inlined). A stable cache pays one volatile read and a null test for this, and its chain is one interface call
 * further, on a constant's class.
 *
 * <p>The generated code names only JDK types, the entry's interface, the key fields' classes and itself, as the entry
 * point's own code could: the rows holder, the call site's invoker and the getters of key fields it may not read with
 * a {@code getfield} of its own are class data. Defined through the entry point's lookup, with no access beyond it.
 */
public final class EntryFunction {

  private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, Type.getInternalName(MethodHandles.class),
      "classDataAt", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
          + "Ljava/lang/Object;", false);
  private static final String ATOMIC = Type.getInternalName(AtomicReference.class);
  private static final String METHOD_HANDLE = Type.getInternalName(MethodHandle.class);

  /** The function: an instance of the entry's interface. */
  final Object function;
  /** The function's method bound to it, of the entry's method type (what an {@code invokedynamic} links to). */
  final MethodHandle handle;
  /** {@code (Object[] {invoker, key values..})Object}: a new row (primitive keys as {@link #asLong} longs). */
  private final MethodHandle newRow;
  /** {@code (Object row)long}: the calls a row served. */
  private final MethodHandle hitsOf;
  /** Each key's type. */
  private final Class<?>[] keyTypes;

  private EntryFunction(final Object function, final MethodHandle handle, final MethodHandle newRow,
      final MethodHandle hitsOf, final Class<?>[] keyTypes) {
    this.function = function;
    this.handle = handle;
    this.newRow = newRow;
    this.hitsOf = hitsOf;
    this.keyTypes = keyTypes;
  }

  /** A row for the probe: the invoker and the key values (boxed primitives, in key order). */
  Object row(final Object invoker, final Object[] keyValues) {
    final Object[] args = new Object[1 + keyTypes.length];
    args[0] = invoker;
    for (int k = 0; k < keyTypes.length; k++) {
      args[1 + k] = keyTypes[k].isPrimitive() ? (Object) asLong(keyValues[k]) : keyValues[k];
    }
    try {
      return newRow.invokeExact(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cannot make a row of the entry function: " + t, t);
    }
  }

  /** The calls a row served (approximate under contention: the probe's increment is plain). */
  long hits(final Object row) {
    try {
      return (long) hitsOf.invokeExact(row);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("cannot read a row of the entry function: " + t, t);
    }
  }

  /**
   * Defines the function class of an entry point and makes its function.
   *
   * @param lookup      the entry point's lookup (full privilege access; sees the interface and argument types)
   * @param type        the entry's functional interface
   * @param sam         its method
   * @param keys        where each key value comes from
   * @param extractors  per key, a handle from its argument (as the interface types it) to the key value
   * @param rows        the rows the function scans ({@link #row}s), replaced whole at every rebuild; null until the
   *                    cache is unstable
   * @param site        the inline cache's call site's dynamic invoker, of the entry's method type
   * @param description what the function's {@code toString} returns
   */
  static EntryFunction define(final MethodHandles.Lookup lookup, final Class<?> type, final Method sam,
      final List<KeySource> keys, final MethodHandle[] extractors, final AtomicReference<Object[]> rows,
      final MethodHandle site, final String description) {
    final String pkg = lookup.lookupClass().getPackageName().replace('.', '/');
    final String name = (pkg.isEmpty() ? "" : pkg + "/") + "QuasiEntry";
    final MethodType entryType = MethodType.methodType(sam.getReturnType(), sam.getParameterTypes());
    // The call site behind an invoker of the entry's interface, so that find can return it like a row's invoker.
    final Object siteInvoker = InvokerClasses.define(lookup, FunctionalShape.of(type, "an entry point"),
        site.asType(entryType), null, description + ": the inline cache's call site");
    final List<Object> data = new ArrayList<>(List.of(rows, siteInvoker));
    final int[] getter = new int[keys.size()];
    final Class<?>[] keyTypes = new Class<?>[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      keyTypes[k] = extractors[k].type().returnType();
      getter[k] = keys.get(k).isField() && !readable(lookup, keys.get(k).field()) ? data.size() : -1;
      if (getter[k] >= 0) {
        data.add(extractors[k]);
      }
    }
    final byte[] bytes = write(name, type, sam, entryType, keys, keyTypes, getter, description);
    try {
      final MethodHandles.Lookup hidden = lookup.defineHiddenClassWithClassData(bytes, List.copyOf(data), true);
      final Class<?> c = hidden.lookupClass();
      final Class<?>[] rowParams = new Class<?>[1 + keyTypes.length];
      rowParams[0] = Object.class;
      for (int k = 0; k < keyTypes.length; k++) {
        rowParams[1 + k] = stored(keyTypes[k]);
      }
      final MethodHandle newRow = hidden.findConstructor(c, MethodType.methodType(void.class, rowParams))
          .asType(MethodType.genericMethodType(rowParams.length)).asSpreader(Object[].class, rowParams.length);
      final MethodHandle hitsOf = hidden.findGetter(c, "hits", long.class)
          .asType(MethodType.methodType(long.class, Object.class));
      final Object function = hidden.findConstructor(c, MethodType.methodType(void.class)).invoke();
      final MethodHandle handle = hidden.findVirtual(c, sam.getName(), entryType).bindTo(function);
      return new EntryFunction(function, handle, newRow, hitsOf, keyTypes);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("cannot define the entry function of " + type.getName() + " in "
          + lookup.lookupClass().getName() + ": " + e.getMessage(), e);
    }
  }

  /** How a row stores a key of this type: objects as themselves, primitives as {@link #asLong} longs. */
  private static Class<?> stored(final Class<?> keyType) {
    return keyType.isPrimitive() ? long.class : Object.class;
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
      final List<KeySource> keys, final Class<?>[] keyTypes, final int[] getter, final String description) {
    // Each local holds one type on every path, so no two reference types are merged and ASM loads no class.
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        throw new IllegalStateException("the entry function merges no reference types: " + type1 + ", " + type2);
      }
    };
    cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC, name, null, "java/lang/Object",
        new String[] {Type.getInternalName(type)});
    writeRow(cw, name, keyTypes);
    final String desc = entryType.toMethodDescriptorString();
    writeFunction(cw, name, type, sam, desc);
    writeToString(cw, description);
    final String findDesc = entryType.changeReturnType(Object.class).toMethodDescriptorString();
    final MethodVisitor mv = cw.visitMethod(ACC_PRIVATE | ACC_STATIC, "find", findDesc, null, null);
    mv.visitCode();
    final Type[] params = Type.getArgumentTypes(desc);
    final int[] slots = new int[params.length];
    int next = 0;
    for (int p = 0; p < params.length; p++) {
      slots[p] = next;
      next += params[p].getSize();
    }
    final Label miss = new Label();
    // The rows first: a stable cache has none, and reads no key here.
    final int rows = next++;
    classData(mv, 0, ATOMIC);
    mv.visitMethodInsn(INVOKEVIRTUAL, ATOMIC, "get", "()Ljava/lang/Object;", false);
    mv.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
    mv.visitInsn(DUP);
    mv.visitVarInsn(ASTORE, rows);
    mv.visitJumpInsn(IFNULL, miss);
    // The keys, in locals: an argument key is its argument's slot; a field key is read once.
    final int[] keySlot = new int[keys.size()];
    final Type[] keyType = new Type[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      final KeySource source = keys.get(k);
      final int arg = source.argument();
      keyType[k] = Type.getType(keyTypes[k]);
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
    final int index = next++;
    final int row = next;
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
    mv.visitTypeInsn(CHECKCAST, name);
    mv.visitVarInsn(ASTORE, row);
    for (int k = 0; k < keys.size(); k++) {
      mv.visitVarInsn(ALOAD, row);
      if (keyTypes[k].isPrimitive()) {
        mv.visitFieldInsn(GETFIELD, name, "k" + k, "J");
        loadAsLong(mv, keyType[k], keySlot[k]);
        mv.visitInsn(LCMP);
        mv.visitJumpInsn(IFNE, nextRow);
      } else {
        mv.visitFieldInsn(GETFIELD, name, "k" + k, "Ljava/lang/Object;");
        mv.visitVarInsn(ALOAD, keySlot[k]);
        mv.visitJumpInsn(IF_ACMPNE, nextRow);
      }
    }
    // A hit: count it (a plain increment, as the constant chain's) and return the row's invoker.
    mv.visitVarInsn(ALOAD, row);
    mv.visitInsn(DUP);
    mv.visitFieldInsn(GETFIELD, name, "hits", "J");
    mv.visitInsn(LCONST_1);
    mv.visitInsn(LADD);
    mv.visitFieldInsn(PUTFIELD, name, "hits", "J");
    mv.visitVarInsn(ALOAD, row);
    mv.visitFieldInsn(GETFIELD, name, "invoker", "Ljava/lang/Object;");
    mv.visitInsn(ARETURN);
    mv.visitLabel(nextRow);
    mv.visitIincInsn(index, 1);
    mv.visitJumpInsn(GOTO, loop);
    mv.visitLabel(miss);
    classData(mv, 1, "java/lang/Object");
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /**
   * The row's fields and constructors: {@code invoker}, {@code hits}, and per key {@code k<i>}, an {@code Object} or a
   * {@code long}; {@code <init>(Object invoker, k0, k1, ..)} for a row, {@code <init>()} for the function.
   */
  private static void writeRow(final ClassWriter cw, final String name, final Class<?>[] keyTypes) {
    cw.visitField(ACC_FINAL, "invoker", "Ljava/lang/Object;", null, null).visitEnd();
    cw.visitField(0, "hits", "J", null, null).visitEnd();
    final StringBuilder desc = new StringBuilder("(Ljava/lang/Object;");
    for (int k = 0; k < keyTypes.length; k++) {
      final String d = Type.getDescriptor(stored(keyTypes[k]));
      cw.visitField(ACC_FINAL, "k" + k, d, null, null).visitEnd();
      desc.append(d);
    }
    // The function itself: no row, its fields unused.
    final MethodVisitor function = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
    function.visitCode();
    function.visitVarInsn(ALOAD, 0);
    function.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    function.visitInsn(RETURN);
    function.visitMaxs(0, 0);
    function.visitEnd();
    final MethodVisitor mv = cw.visitMethod(0, "<init>", desc.append(")V").toString(), null, null);
    mv.visitCode();
    mv.visitVarInsn(ALOAD, 0);
    mv.visitMethodInsn(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    mv.visitVarInsn(ALOAD, 0);
    mv.visitVarInsn(ALOAD, 1);
    mv.visitFieldInsn(PUTFIELD, name, "invoker", "Ljava/lang/Object;");
    int slot = 2;
    for (int k = 0; k < keyTypes.length; k++) {
      final Type t = Type.getType(stored(keyTypes[k]));
      mv.visitVarInsn(ALOAD, 0);
      mv.visitVarInsn(t.getOpcode(ILOAD), slot);
      mv.visitFieldInsn(PUTFIELD, name, "k" + k, t.getDescriptor());
      slot += t.getSize();
    }
    mv.visitInsn(RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /**
   * The interface method: {@code ((F) find(a..)).m(a..)}. For an entry of up to three arguments it is within the 35
   * bytes of bytecode under which C2 inlines a callee wherever it is called from ({@code MaxInlineSize}), a method
   * handle's lambda form included.
   */
  private static void writeFunction(final ClassWriter cw, final String name, final Class<?> type, final Method sam,
      final String desc) {
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC | ACC_FINAL, sam.getName(), desc, null, null);
    mv.visitCode();
    final Type[] params = Type.getArgumentTypes(desc);
    loadAll(mv, params);
    mv.visitMethodInsn(INVOKESTATIC, name, "find", Type.getMethodDescriptor(Type.getType(Object.class), params),
        false);
    final String itf = Type.getInternalName(type);
    mv.visitTypeInsn(CHECKCAST, itf);
    loadAll(mv, params);
    mv.visitMethodInsn(INVOKEINTERFACE, itf, sam.getName(), desc, true);
    mv.visitInsn(Type.getReturnType(desc).getOpcode(IRETURN));
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  /** Loads the interface method's arguments (slot 0 is the function itself). */
  private static void loadAll(final MethodVisitor mv, final Type[] params) {
    int slot = 1;
    for (final Type p : params) {
      mv.visitVarInsn(p.getOpcode(ILOAD), slot);
      slot += p.getSize();
    }
  }

  private static void writeToString(final ClassWriter cw, final String description) {
    final MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "toString", "()Ljava/lang/String;", null, null);
    mv.visitCode();
    mv.visitLdcInsn(description);
    mv.visitInsn(ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
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
}
