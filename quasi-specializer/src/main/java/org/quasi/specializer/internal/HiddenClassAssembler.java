package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;
import org.quasi.runtime.internal.FunctionalShape;

/**
 * Builds the hidden class around a residual method: a final class in the lookup class's package with a private
 * static method {@code specialized} holding the residual code and, when a functional interface is given, a
 * constructor and the interface's method forwarding to it (adapting references with casts and boxes).
 *
 * <p>When the interface's method takes and returns exactly what the residual method does, and the residual code is
 * small enough for C2 to inline into a hot caller ({@link #INLINABLE}, bounded by {@link #copyLength}), the
 * interface method holds a copy of the residual code instead of a call to {@code specialized}. The forwarding call
 * would be inlined only on the forwarder's own profile, and a forwarder compiled by C1 without one (tier 2, chosen
 * when C2's queue is long) has none: C2 then keeps the residual code out of line as "too big" for an unprofiled
 * call, in every caller. A caller's call of the interface method itself is inlined on the caller's profile.
 * {@code specialized} stays, as the class's named residual method: what {@link #dump} shows, what tools reading the
 * class file look for, what other residual methods call.
 *
 * <p>Frames are computed by ASM, with {@link ClassWriter#getCommonSuperClass} answered from the real class hierarchy
 * as seen from the lookup class's loader (ASM's default would load classes through its own loader).
 */
final class HiddenClassAssembler {
  static final String METHOD = "specialized";

  /** The bytecode size up to which C2 inlines a hot callee ({@code FreqInlineSize}'s default on x86_64 and AArch64). */
  static final int INLINABLE = 325;

  private HiddenClassAssembler() {
  }

  /** Returns the internal name the hidden class gets (the JVM appends a unique suffix when defining it). */
  static String className(final Class<?> lookupClass) {
    final String name = lookupClass.getName();
    return name.replace('.', '/') + "$$Quasi";
  }

  /**
   * Assembles the class file.
   *
   * @param functional the functional interface to implement, or null for a class with the residual method only
   * @throws IllegalArgumentException when the interface's method does not fit the residual method's signature
   */
  static byte[] assemble(final Class<?> lookupClass, final ClassRepository repository, final AccessPolicy access,
      final InsnList code, final List<TryCatchBlockNode> handlers, final List<MethodNode> others,
      final Type residualType, final Class<?> functional) {
    final ClassNode cn = new ClassNode();
    cn.version = V17;
    cn.access = ACC_FINAL | ACC_SUPER | ACC_SYNTHETIC;
    cn.name = className(lookupClass);
    cn.superName = "java/lang/Object";
    final MethodNode residual = new MethodNode(ACC_PRIVATE | ACC_STATIC, METHOD, residualType.getDescriptor(),
        null, null);
    residual.instructions = code;
    residual.tryCatchBlocks.addAll(handlers);
    cn.methods.add(residual);
    cn.methods.addAll(others);
    if (functional != null) {
      if (!access.classAccessible(functional)) {
        throw new IllegalArgumentException("The functional interface " + functional.getName()
            + " is not accessible from lookup class " + lookupClass.getName());
      }
      cn.interfaces.add(Type.getInternalName(functional));
      final MethodNode init = new MethodNode(ACC_PUBLIC, "<init>", "()V", null, null);
      init.instructions.add(new VarInsnNode(ALOAD, 0));
      init.instructions.add(new MethodInsnNode(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false));
      init.instructions.add(new InsnNode(RETURN));
      cn.methods.add(init);
      final Method sam = FunctionalShape.of(functional, "residual code").method();
      final boolean copy = sameShape(sam, residualType) && copyLength(residual.instructions) <= INLINABLE;
      cn.methods.add(copy ? holdingResidual(residual, sam) : bridge(cn.name, sam, residualType, access));
    }
    final MethodNode clinit = resolvingInitializer(cn.methods);
    if (clinit != null) {
      cn.methods.add(clinit);
    }
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        return commonSuperClass(repository, lookupClass, type1, type2);
      }
    };
    WideJumps.widenIfLong(cn);
    cn.accept(cw);
    return cw.toByteArray();
  }

  /**
   * A static initializer that loads every class-data constant once, or null when there is none. C1 and C2 refuse to
   * compile a method with a dynamic constant that is still unresolved ("could not resolve a constant"), and a residual
   * method often loads a known object only on a path not yet taken (the {@code wakeUpProcess(p)} of a sleeping
   * target): without this, such a method would stay interpreted for good. Resolving runs no user code
   * ({@code classDataAt} returns an element of the class data, cast to a type the residual code names anyway).
   */
  private static MethodNode resolvingInitializer(final List<MethodNode> methods) {
    final Set<Object> constants = new LinkedHashSet<>();
    for (final MethodNode m : methods) {
      for (final AbstractInsnNode i : m.instructions) {
        if (i instanceof LdcInsnNode ldc
            && ldc.cst instanceof ConstantDynamic) {
          constants.add(ldc.cst);
        }
      }
    }
    if (constants.isEmpty()) {
      return null;
    }
    final MethodNode clinit = new MethodNode(ACC_STATIC, "<clinit>", "()V", null, null);
    for (final Object c : constants) {
      clinit.instructions.add(new LdcInsnNode(c));
      final int size = Type.getType(((ConstantDynamic) c).getDescriptor()).getSize();
      clinit.instructions.add(new InsnNode(size == 2 ? POP2 : POP));
    }
    clinit.instructions.add(new InsnNode(RETURN));
    return clinit;
  }

  static String commonSuperClass(final ClassRepository repository, final Class<?> context, final String type1,
      final String type2) {
    Class<?> a = repository.classFor(type1, context);
    final Class<?> b = repository.classFor(type2, context);
    if (a == null || b == null) {
      return "java/lang/Object";
    }
    if (a.isAssignableFrom(b)) {
      return type1;
    }
    if (b.isAssignableFrom(a)) {
      return type2;
    }
    if (a.isInterface() || b.isInterface() || a.isArray() || b.isArray()) {
      return "java/lang/Object";
    }
    do {
      a = a.getSuperclass();
    } while (!a.isAssignableFrom(b));
    return Type.getInternalName(a);
  }

  /** Whether the interface method takes and returns exactly what the residual method does. */
  private static boolean sameShape(final Method sam, final Type residualType) {
    final Type samType = Type.getType(sam);
    return Arrays.equals(samType.getArgumentTypes(), residualType.getArgumentTypes())
        && samType.getReturnType().equals(residualType.getReturnType());
  }

  /**
   * An upper bound of the length in bytes of the interface method holding a copy of {@code code}: its locals one slot
   * up, each instruction in the encoding its operands need, an {@code ldc} at three bytes, and a class-data constant
   * at the seven of what {@link SharedResidualClasses} may make of it ({@code aload_0; getfield; checkcast}).
   */
  static int copyLength(final InsnList code) {
    int length = 0;
    for (final AbstractInsnNode n : code) {
      if (n.getOpcode() < 0) {
        continue; // labels, line numbers, frames
      }
      length += switch (n.getType()) {
        case AbstractInsnNode.VAR_INSN -> slotLength(((VarInsnNode) n).var + 1);
        case AbstractInsnNode.IINC_INSN -> {
          final IincInsnNode i = (IincInsnNode) n;
          yield i.var + 1 < 256 && i.incr == (byte) i.incr ? 3 : 6;
        }
        case AbstractInsnNode.INT_INSN -> n.getOpcode() == SIPUSH ? 3 : 2;
        case AbstractInsnNode.LDC_INSN -> ((LdcInsnNode) n).cst instanceof ConstantDynamic ? 7 : 3;
        case AbstractInsnNode.METHOD_INSN -> n.getOpcode() == INVOKEINTERFACE ? 5 : 3;
        case AbstractInsnNode.INVOKE_DYNAMIC_INSN -> 5;
        case AbstractInsnNode.MULTIANEWARRAY_INSN -> 4;
        case AbstractInsnNode.TABLESWITCH_INSN -> 16 + 4 * ((TableSwitchInsnNode) n).labels.size();
        case AbstractInsnNode.LOOKUPSWITCH_INSN -> 12 + 8 * ((LookupSwitchInsnNode) n).labels.size();
        case AbstractInsnNode.INSN -> 1;
        default -> 3; // jumps (short: the copy is far below 32 KB), fields, types
      };
    }
    return length;
  }

  /** A load's or store's length: {@code xload_n}, {@code xload n}, or {@code wide xload n}. */
  private static int slotLength(final int slot) {
    return slot < 4 ? 1 : slot < 256 ? 2 : 4;
  }

  /** The interface method as a copy of the residual method, its locals one slot up ({@code this} takes slot 0). */
  private static MethodNode holdingResidual(final MethodNode residual, final Method sam) {
    final MethodNode m = new MethodNode(ACC_PUBLIC, sam.getName(), Type.getMethodDescriptor(sam), null, null);
    residual.accept(new MethodVisitor(ASM9, m) {
      @Override
      public void visitVarInsn(final int opcode, final int var) {
        super.visitVarInsn(opcode, var + 1);
      }

      @Override
      public void visitIincInsn(final int var, final int increment) {
        super.visitIincInsn(var + 1, increment);
      }

      @Override
      public void visitLocalVariable(final String name, final String descriptor, final String signature,
          final Label start, final Label end, final int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end, index + 1);
      }
    });
    return m;
  }

  private static MethodNode bridge(final String owner, final Method sam, final Type residualType,
      final AccessPolicy access) {
    final Type samType = Type.getType(sam);
    final Type[] from = samType.getArgumentTypes();
    final Type[] to = residualType.getArgumentTypes();
    if (from.length != to.length) {
      throw new IllegalArgumentException(sam.getDeclaringClass().getName() + "." + sam.getName() + " takes "
          + from.length + " parameters, but " + to.length + " arguments are unknown " + residualType);
    }
    final MethodNode m = new MethodNode(ACC_PUBLIC, sam.getName(), samType.getDescriptor(), null, null);
    final InsnList code = m.instructions;
    int slot = 1;
    for (int i = 0; i < from.length; i++) {
      code.add(new VarInsnNode(from[i].getOpcode(ILOAD), slot));
      slot += from[i].getSize();
      adapt(code, from[i], to[i], "parameter " + i, access);
    }
    code.add(new MethodInsnNode(INVOKESTATIC, owner, METHOD, residualType.getDescriptor(), false));
    final Type ret = residualType.getReturnType();
    final Type samRet = samType.getReturnType();
    if (samRet.getSort() == Type.VOID) {
      if (ret.getSort() != Type.VOID) {
        code.add(new InsnNode(ret.getSize() == 2 ? POP2 : POP));
      }
    } else if (ret.getSort() == Type.VOID) {
      if (samRet.getSort() < Type.ARRAY) {
        throw new IllegalArgumentException("the specialized method returns nothing, but "
            + sam.getName() + " returns " + samRet.getClassName());
      }
      code.add(new InsnNode(ACONST_NULL));
    } else {
      adapt(code, ret, samRet, "the result", access);
    }
    code.add(new InsnNode(samRet.getOpcode(IRETURN)));
    return m;
  }

  /** Converts the value on the stack from type {@code from} to {@code to} (same, cast, box or unbox). */
  private static void adapt(final InsnList code, final Type from, final Type to, final String what,
      final AccessPolicy access) {
    if (from.equals(to)) {
      return;
    }
    final boolean fromRef = from.getSort() >= Type.ARRAY;
    final boolean toRef = to.getSort() >= Type.ARRAY;
    if (fromRef && toRef) {
      code.add(new TypeInsnNode(CHECKCAST, to.getInternalName()));
    } else if (!fromRef && toRef && to.getSort() != Type.VOID && holdsBox(to, from)) {
      final Type box = Type.getObjectType(boxOf(from));
      code.add(new MethodInsnNode(INVOKESTATIC, box.getInternalName(), "valueOf",
          Type.getMethodDescriptor(box, from), false));
      if (!to.getInternalName().equals(box.getInternalName())) {
        code.add(new TypeInsnNode(CHECKCAST, to.getInternalName()));
      }
    } else if (fromRef && !toRef && to.getSort() != Type.VOID && holdsBox(from, to)) {
      final String box = boxOf(to);
      code.add(new TypeInsnNode(CHECKCAST, box));
      code.add(new MethodInsnNode(INVOKEVIRTUAL, box, to.getClassName() + "Value",
          Type.getMethodDescriptor(to), false));
    } else {
      throw new IllegalArgumentException("the functional interface's type for " + what + " is " + from
          .getClassName() + ", but the specialized method needs " + to.getClassName());
    }
  }

  /** Returns whether reference type {@code ref} can hold the box of {@code primitive}. */
  private static boolean holdsBox(final Type ref, final Type primitive) {
    final String name = ref.getInternalName();
    return name.equals(boxOf(primitive)) || name.equals("java/lang/Object") || name.equals("java/io/Serializable")
        || name.equals("java/lang/Comparable")
        || name.equals("java/lang/Number") && primitive.getSort() >= Type.BYTE;
  }

  private static String boxOf(final Type primitive) {
    return switch (primitive.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      default -> "java/lang/Double";
    };
  }

  /** Returns the residual method of an assembled class as text (ASM's Textifier), known constants listed first. */
  static String dump(final byte[] classFile, final List<Object> classData) {
    final ClassNode cn = new ClassNode();
    new ClassReader(classFile).accept(cn, ClassReader.SKIP_FRAMES);
    final StringWriter out = new StringWriter();
    final PrintWriter pw = new PrintWriter(out);
    for (int i = 0; i < classData.size(); i++) {
      final Object o = classData.get(i);
      pw.println("// k" + i + " = " + (o instanceof String s ? '"' + s + '"' : o.getClass().getName() + "@"
          + Integer.toHexString(System.identityHashCode(o))));
    }
    for (final MethodNode m : cn.methods) {
      if (m.name.startsWith(METHOD)) {
        final Textifier t = new Textifier();
        m.accept(new TraceMethodVisitor(t));
        pw.println("static " + Type.getReturnType(m.desc).getClassName() + " " + m.name + m.desc);
        t.print(pw);
      }
    }
    pw.flush();
    return out.toString();
  }
}
