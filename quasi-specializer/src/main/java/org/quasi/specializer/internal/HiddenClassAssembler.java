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
   * @param ignored    null when the interface's method takes the unknown arguments only; else, for a replacement of
   *                   the method, which of the arguments it takes (every one, as the JVM passes them) the residual
   *                   code ignores: the known ones
   * @throws IllegalArgumentException when the interface's method does not fit the residual method's signature
   */
  static byte[] assemble(final Class<?> lookupClass, final ClassRepository repository, final AccessPolicy access,
      final InsnList code, final List<TryCatchBlockNode> handlers, final List<MethodNode> others,
      final Type residualType, final Class<?> functional, final boolean[] ignored) {
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
      final int[] slots = passedSlots(sam, ignored, residualType);
      // How far up a local of the residual method moves in the copy: one slot for this, and the ignored arguments'.
      final int shift = 1 + parameterSlots(Type.getMethodDescriptor(sam)) - parameterSlots(residualType.getDescriptor());
      final boolean copy = sameShape(sam, slots, residualType) && copyLength(residual.instructions, shift) <= INLINABLE
          && (ignored == null || keepsParameterSlots(residual, residualType));
      cn.methods.add(copy ? holdingResidual(residual, sam, slots, residualType, ignored != null)
          : bridge(cn.name, sam, slots, residualType, access));
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

  /**
   * For each parameter of the residual method, the local slot of the interface method's parameter that carries it
   * ({@code this} takes slot 0): the interface method's parameters in order, or, for a replacement, those of the
   * arguments it does not ignore.
   *
   * @throws IllegalArgumentException when the interface's method takes another number of parameters
   */
  private static int[] passedSlots(final Method sam, final boolean[] ignored, final Type residualType) {
    final Type[] from = Type.getArgumentTypes(sam);
    final int expected = ignored == null ? residualType.getArgumentTypes().length : ignored.length;
    if (from.length != expected) {
      throw new IllegalArgumentException(sam.getDeclaringClass().getName() + "." + sam.getName() + " takes "
          + from.length + " parameters, but " + (ignored == null ? expected + " arguments are unknown "
          + residualType : "a replacement of the method takes its " + expected + " arguments"));
    }
    final int[] slots = new int[residualType.getArgumentTypes().length];
    int slot = 1;
    for (int i = 0, j = 0; i < from.length; i++) {
      if (ignored == null || !ignored[i]) {
        slots[j++] = slot;
      }
      slot += from[i].getSize();
    }
    return slots;
  }

  /** Whether the interface method takes (in {@code slots}) and returns exactly what the residual method does. */
  private static boolean sameShape(final Method sam, final int[] slots, final Type residualType) {
    final Type samType = Type.getType(sam);
    final Type[] from = samType.getArgumentTypes();
    final Type[] to = residualType.getArgumentTypes();
    for (int j = 0; j < to.length; j++) {
      if (!to[j].equals(from[indexAtSlot(from, slots[j])])) {
        return false;
      }
    }
    return samType.getReturnType().equals(residualType.getReturnType());
  }

  /** The local slots the parameters of a method of descriptor {@code desc} take (not counting {@code this}). */
  private static int parameterSlots(final String desc) {
    return (Type.getArgumentsAndReturnSizes(desc) >> 2) - 1;
  }

  /** The index of the parameter of {@code params} at local slot {@code slot} ({@code this} in slot 0). */
  private static int indexAtSlot(final Type[] params, final int slot) {
    int at = 1;
    int i = 0;
    while (at < slot) {
      at += params[i++].getSize();
    }
    return i;
  }

  /**
   * Whether every access to a parameter's slot in {@code residual} is an access to that parameter, of its size: a
   * copy moving each parameter's slot on its own (a replacement's) keeps the code right only then. A residual method
   * whose local allocation reused a parameter's slot for a value of another size, or a slot in its middle, is not
   * copied, and the interface method calls it instead.
   */
  private static boolean keepsParameterSlots(final MethodNode residual, final Type residualType) {
    final Type[] params = residualType.getArgumentTypes();
    final int[] sizeAt = new int[parameterSlots(residualType.getDescriptor())];
    int slot = 0;
    for (final Type p : params) {
      sizeAt[slot] = p.getSize();
      slot += p.getSize();
    }
    for (final AbstractInsnNode n : residual.instructions) {
      final int var;
      final int size;
      if (n instanceof VarInsnNode v) {
        var = v.var;
        size = switch (v.getOpcode()) {
          case LLOAD, DLOAD, LSTORE, DSTORE -> 2;
          case RET -> 0;
          default -> 1;
        };
      } else if (n instanceof IincInsnNode i) {
        var = i.var;
        size = 1;
      } else {
        continue;
      }
      if (var < slot && sizeAt[var] != size) {
        return false;
      }
    }
    return true;
  }

  /**
   * An upper bound of the length in bytes of the interface method holding a copy of {@code code}: its locals up to
   * {@code shift} slots up (one for {@code this}, and the ignored arguments' of a replacement), each instruction in the encoding its operands need, an {@code ldc} at three bytes, and a class-data constant
   * at the seven of what {@link SharedResidualClasses} may make of it ({@code aload_0; getfield; checkcast}).
   */
  static int copyLength(final InsnList code, final int shift) {
    int length = 0;
    for (final AbstractInsnNode n : code) {
      if (n.getOpcode() < 0) {
        continue; // labels, line numbers, frames
      }
      length += switch (n.getType()) {
        case AbstractInsnNode.VAR_INSN -> slotLength(((VarInsnNode) n).var + shift);
        case AbstractInsnNode.IINC_INSN -> {
          final IincInsnNode i = (IincInsnNode) n;
          yield i.var + shift < 256 && i.incr == (byte) i.incr ? 3 : 6;
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

  /**
   * The interface method as a copy of the residual method: each parameter's slot moved to the interface method's
   * parameter carrying it ({@code slots}; {@code this} takes slot 0), the other locals above the interface method's
   * parameters.
   */
  private static MethodNode holdingResidual(final MethodNode residual, final Method sam, final int[] slots,
      final Type residualType, final boolean replacement) {
    final MethodNode m = new MethodNode(ACC_PUBLIC, sam.getName(), Type.getMethodDescriptor(sam), null, null);
    final int residualParameters = parameterSlots(residualType.getDescriptor());
    final int samParameters = parameterSlots(Type.getMethodDescriptor(sam));
    final int[] moved = new int[residualParameters];
    final Type[] params = residualType.getArgumentTypes();
    for (int j = 0, slot = 0; j < params.length; slot += params[j].getSize(), j++) {
      moved[slot] = slots[j];
    }
    // Without ignored arguments every local moves up one slot, a parameter's middle slot (reused) too.
    final java.util.function.IntUnaryOperator to = var -> !replacement ? var + 1
        : var < residualParameters ? moved[var] : var - residualParameters + samParameters + 1;
    residual.accept(new MethodVisitor(ASM9, m) {
      @Override
      public void visitVarInsn(final int opcode, final int var) {
        super.visitVarInsn(opcode, to.applyAsInt(var));
      }

      @Override
      public void visitIincInsn(final int var, final int increment) {
        super.visitIincInsn(to.applyAsInt(var), increment);
      }

      @Override
      public void visitLocalVariable(final String name, final String descriptor, final String signature,
          final Label start, final Label end, final int index) {
        super.visitLocalVariable(name, descriptor, signature, start, end, to.applyAsInt(index));
      }
    });
    return m;
  }

  /** The interface method as a call of the residual method with the parameters in {@code slots}, adapted. */
  private static MethodNode bridge(final String owner, final Method sam, final int[] slots, final Type residualType,
      final AccessPolicy access) {
    final Type samType = Type.getType(sam);
    final Type[] from = samType.getArgumentTypes();
    final Type[] to = residualType.getArgumentTypes();
    final MethodNode m = new MethodNode(ACC_PUBLIC, sam.getName(), samType.getDescriptor(), null, null);
    final InsnList code = m.instructions;
    for (int j = 0; j < to.length; j++) {
      final int i = indexAtSlot(from, slots[j]);
      code.add(new VarInsnNode(from[i].getOpcode(ILOAD), slots[j]));
      adapt(code, from[i], to[j], "parameter " + i, access);
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
