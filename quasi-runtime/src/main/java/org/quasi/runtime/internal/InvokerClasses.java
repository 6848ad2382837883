package org.quasi.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import java.util.Objects;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Defines the small hidden class behind every replugger's invoker: a final class implementing the functional
 * interface whose single method loads a {@link MethodHandle} from its class data and calls it with
 * {@code invokeExact}. For a counting replugger the call is bracketed by {@link InFlightCalls#enter()} and
 * {@link InFlightCalls#exit(InFlightSlot)}, the exit in a {@code finally}; written as bytecode rather than as method
 * handle combinators so that its cost is exactly the bookkeeping.
 *
 * <p>Why a class per replugger: the JIT treats class data loaded by {@code ldc} of a dynamic constant as a constant,
 * so when the invoker object itself is a constant to the caller (a {@code static final} field, say), C2 sees through
 * the handle, through a {@code MutableCallSite}'s dynamic invoker to its current target, and inlines the plugged
 * function. A handle kept in an ordinary instance field is opaque to the JIT and costs several times a direct call.
 *
 * <p>The class is defined through a {@link MethodHandles.Lookup}: the caller's, when one is given, so that a
 * non-public interface can be implemented and no access beyond that lookup's is ever needed; otherwise this
 * package's own, which only works for public interfaces visible from Quasi's class loader.
 */
public final class InvokerClasses {

  /** The internal name of {@link MethodHandle}. */
  private static final String METHOD_HANDLE = Type.getInternalName(MethodHandle.class);

  /** {@code MethodHandles.classDataAt(Lookup, String, Class, int)}, the bootstrap of the class-data constants. */
  private static final Handle CLASS_DATA_AT = new Handle(Opcodes.H_INVOKESTATIC,
      Type.getInternalName(MethodHandles.class), "classDataAt",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)Ljava/lang/Object;", false);

  /** The internal name of {@link InFlightCalls}. */
  private static final String IN_FLIGHT_CALLS = Type.getInternalName(InFlightCalls.class);

  /** The descriptor of {@link InFlightSlot}. */
  private static final String IN_FLIGHT_SLOT = Type.getDescriptor(InFlightSlot.class);

  private InvokerClasses() {}

  /**
   * Returns a new instance of a hidden class implementing {@code shape.type()} by calling {@code target}.
   *
   * @param lookup where the class is defined; {@code null} for Quasi's own runtime package
   * @param shape the functional interface and its method
   * @param target called on every invocation; adapted with {@code asType} to the method's exact type
   * @param counted when not {@code null}, every call is counted there (a counting replugger)
   * @param description returned by the instance's {@code toString}
   * @throws IllegalArgumentException when the lookup cannot define the class or cannot see the interface; the
   *     message says which lookup to pass instead
   */
  public static Object define(final MethodHandles.Lookup lookup, final FunctionalShape shape,
      final MethodHandle target, final InFlightCalls counted, final String description) {
    Objects.requireNonNull(target, "target");
    final MethodHandles.Lookup host = check(lookup, shape);
    final String packagePrefix = host.lookupClass().getPackageName().replace('.', '/');
    final String name = (packagePrefix.isEmpty() ? "" : packagePrefix + "/") + "QuasiInvoker";
    final byte[] bytes = write(name, shape, counted != null, description);
    final MethodHandle exact = target.asType(shape.methodType());
    try {
      final MethodHandles.Lookup hidden = host.defineHiddenClassWithClassData(bytes,
          counted != null ? List.of(exact, counted) : List.of(exact), true);
      return hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot define an invoker for " + shape.type().getName() + " in "
          + host.lookupClass().getName() + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("the invoker constructor of " + shape.type().getName() + " failed", e);
    }
  }

  /**
   * Checks, without defining anything, that {@link #define} could define an invoker for {@code shape} through
   * {@code lookup}: what a replugger that defines its invoker on first use checks when it is made, so that a lookup
   * that cannot serve is refused there, as before.
   *
   * @param lookup where the class would be defined; {@code null} for Quasi's own runtime package
   * @return the lookup the class would be defined through
   * @throws IllegalArgumentException as {@link #define} does, for the lookup and the interface
   */
  public static MethodHandles.Lookup check(final MethodHandles.Lookup lookup, final FunctionalShape shape) {
    final MethodHandles.Lookup host = lookup != null ? lookup : MethodHandles.lookup();
    checkHost(host, lookup != null, shape.type());
    return host;
  }

  /** Refuses, with a message that says what to do, a lookup that could not implement the interface. */
  private static void checkHost(final MethodHandles.Lookup host, final boolean given, final Class<?> type) {
    if (given && !host.hasFullPrivilegeAccess()) {
      throw new IllegalArgumentException("the lookup on " + host.lookupClass().getName()
          + " lacks full privilege access, which defining an invoker class requires; pass MethodHandles.lookup()");
    }
    try {
      host.accessClass(type);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException(type.getName() + " is not accessible from " + host.lookupClass().getName()
          + (given ? "" : "; pass a MethodHandles.lookup() from a class that can access it"), e);
    }
    final ClassLoader loader = host.lookupClass().getClassLoader();
    try {
      if (Class.forName(type.getName(), false, loader) != type) {
        throw new ClassNotFoundException(type.getName());
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(type.getName() + " is not visible from the class loader of "
          + host.lookupClass().getName() + "; pass a MethodHandles.lookup() from a class that can see it", e);
    }
  }

  /**
   * Writes the invoker class. Its one frame (the handler of the counting variant) merges no two reference types, so
   * ASM never needs to load a class to compute it.
   */
  private static byte[] write(final String name, final FunctionalShape shape, final boolean counted,
      final String description) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        throw new IllegalStateException("invoker frames merge no reference types: " + type1 + ", " + type2);
      }
    };
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER | Opcodes.ACC_SYNTHETIC, name,
        null, "java/lang/Object", new String[] {Type.getInternalName(shape.type())});

    final MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
    init.visitCode();
    init.visitVarInsn(Opcodes.ALOAD, 0);
    init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
    init.visitInsn(Opcodes.RETURN);
    init.visitMaxs(0, 0);
    init.visitEnd();

    final String desc = Type.getMethodDescriptor(shape.method());
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, shape.method().getName(), desc,
        null, null);
    mv.visitCode();
    int local = 1;
    for (final Type argument : Type.getArgumentTypes(desc)) {
      local += argument.getSize();
    }
    final int slotLocal = local;
    final Label start = new Label();
    final Label end = new Label();
    final Label handler = new Label();
    if (counted) {
      mv.visitLdcInsn(classDataAt(1, "L" + IN_FLIGHT_CALLS + ";"));
      mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, IN_FLIGHT_CALLS, "enter", "()" + IN_FLIGHT_SLOT, false);
      mv.visitVarInsn(Opcodes.ASTORE, slotLocal);
      mv.visitTryCatchBlock(start, end, handler, null);
      mv.visitLabel(start);
    }
    mv.visitLdcInsn(classDataAt(0, "L" + METHOD_HANDLE + ";"));
    int arg = 1;
    for (final Type argument : Type.getArgumentTypes(desc)) {
      mv.visitVarInsn(argument.getOpcode(Opcodes.ILOAD), arg);
      arg += argument.getSize();
    }
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, METHOD_HANDLE, "invokeExact", desc, false);
    final Type result = Type.getReturnType(desc);
    if (counted) {
      mv.visitLabel(end);
      exit(mv, slotLocal);
      mv.visitInsn(result.getOpcode(Opcodes.IRETURN));
      mv.visitLabel(handler);
      exit(mv, slotLocal);
      mv.visitInsn(Opcodes.ATHROW);
    } else {
      mv.visitInsn(result.getOpcode(Opcodes.IRETURN));
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();

    final MethodVisitor toString = cw.visitMethod(Opcodes.ACC_PUBLIC, "toString", "()Ljava/lang/String;", null,
        null);
    toString.visitCode();
    toString.visitLdcInsn(description);
    toString.visitInsn(Opcodes.ARETURN);
    toString.visitMaxs(0, 0);
    toString.visitEnd();

    cw.visitEnd();
    return cw.toByteArray();
  }

  /** {@code InFlightCalls.exit(slot)}; leaves the operand stack (a result, or the exception) as it was. */
  private static void exit(final MethodVisitor mv, final int slotLocal) {
    mv.visitVarInsn(Opcodes.ALOAD, slotLocal);
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, IN_FLIGHT_CALLS, "exit", "(" + IN_FLIGHT_SLOT + ")V", false);
  }

  /** The dynamic constant for element {@code index} of the class data list. */
  private static ConstantDynamic classDataAt(final int index, final String descriptor) {
    return new ConstantDynamic("_", descriptor, CLASS_DATA_AT, index);
  }
}
