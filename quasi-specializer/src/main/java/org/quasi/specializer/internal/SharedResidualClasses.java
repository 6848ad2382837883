package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Residual classes shared by specializations whose residual code is the same, instruction for instruction, and
 * differs only in the known objects it refers to: the producer's kill path on one kernel and on the next, a
 * connection's parser for one session and the next. The assembled class is rewritten so that its known objects come
 * from final fields of each instance instead of its class data, one field {@code k$i} per class-data constant, of
 * the constant's type:
 *
 * <ul>
 *   <li>each residual method ({@code specialized}, {@code specialized$N}, static) takes the instance as an extra last
 *       parameter (typed {@code Object}, cast to the class once on entry), and its locals beyond its parameters move
 *       up one slot;</li>
 *   <li>{@code ldc} of class-data constant i becomes a {@code getfield k$i} of the instance: a typed load, with no
 *       cast and no bounds check, so that the compiled code stays as small as possible (a caller's JIT inlines a
 *       shared version only while its compiled size is small); calls between residual methods pass the instance on;
 *       the interface method passes {@code this}, or reads the fields of {@code this} when it holds a copy of the
 *       residual code ({@link HiddenClassAssembler});</li>
 *   <li>the constructor takes the class data as an {@code Object[]} and casts each constant into its field; the
 *       initializer that resolved the class-data constants goes.</li>
 * </ul>
 *
 * <p>Class data is loaded by index, so two specializations with the same code have the same assembled bytes: the
 * class is rewritten and defined once per distinct code and lookup class, and each specialization is a new instance
 * holding its own known objects. The JIT compiles the code once. Its cost: a known object is a field load, where a
 * class of its own would have had a constant.
 *
 * <p>Sharing is per lookup class (the class is defined through the caller's lookup, which must have full privilege
 * access, as for any residual class): no code crosses to a lookup it was not specialized for. At most
 * {@link #MAX_SHAPES} classes are kept per lookup class; beyond that, new code is defined without being kept.
 */
final class SharedResidualClasses {

  /** Classes kept per lookup class. */
  static final int MAX_SHAPES = 64;

  /** The prefix of the constants' fields: {@code k$0}, {@code k$1}, ... */
  private static final String CONSTANT = "k$";
  private static final String CLASS_DATA_DESC = "[Ljava/lang/Object;";
  private static final String INSTANCE_DESC = "Ljava/lang/Object;";

  /**
   * Shared classes by the assembled bytes they were rewritten from, per lookup class; values are constructors
   * {@code (Object[])Object}.
   */
  private static final ClassValue<Map<Shape, MethodHandle>> CLASSES = new ClassValue<>() {
    @Override
    protected Map<Shape, MethodHandle> computeValue(final Class<?> lookupClass) {
      return new ConcurrentHashMap<>();
    }
  };

  private SharedResidualClasses() {
  }

  /** A class file's bytes as a map key. */
  private record Shape(byte[] bytes, int hash) {
    Shape(final byte[] bytes) {
      this(bytes, Arrays.hashCode(bytes));
    }

    @Override
    public boolean equals(final Object o) {
      return o instanceof Shape s && s.hash == hash && Arrays.equals(s.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Returns an instance of the shared class for {@code classFile} (an assembled residual class implementing a
   * functional interface), defining the class if no earlier specialization through this lookup class had the same
   * code, holding {@code classData} as its known objects.
   */
  static Object instantiate(final MethodHandles.Lookup lookup, final ClassRepository repository,
      final byte[] classFile, final List<Object> classData) throws Throwable {
    return constructor(lookup, repository, classFile).invokeExact(classData.toArray());
  }

  /**
   * The constructor {@code (Object[])Object} of the shared class for {@code classFile}, defining the class if no
   * earlier specialization through this lookup class had the same code.
   */
  static MethodHandle constructor(final MethodHandles.Lookup lookup, final ClassRepository repository,
      final byte[] classFile) throws IllegalAccessException, NoSuchMethodException {
    // The assembled bytes name no object either (class data is loaded by index): they are the key, and the
    // rewrite runs only for code not seen before.
    final Map<Shape, MethodHandle> shapes = CLASSES.get(lookup.lookupClass());
    final Shape shape = new Shape(classFile);
    MethodHandle constructor = shapes.get(shape);
    if (constructor == null) {
      final byte[] shared = rewrite(lookup.lookupClass(), repository, classFile);
      final MethodHandles.Lookup hidden = lookup.defineHiddenClass(shared, true,
          MethodHandles.Lookup.ClassOption.NESTMATE);
      constructor = hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class, Object[].class))
          .asType(MethodType.methodType(Object.class, Object[].class));
      if (shapes.size() < MAX_SHAPES) {
        final MethodHandle first = shapes.putIfAbsent(shape, constructor);
        constructor = first != null ? first : constructor;
      }
    }
    return constructor;
  }

  /** How many classes are kept for {@code lookupClass} (for tests). */
  static int shapes(final Class<?> lookupClass) {
    return CLASSES.get(lookupClass).size();
  }

  /** Rewrites the assembled class as the class comment says. */
  static byte[] rewrite(final Class<?> lookupClass, final ClassRepository repository, final byte[] classFile) {
    final ClassNode cn = new ClassNode();
    new ClassReader(classFile).accept(cn, ClassReader.SKIP_FRAMES);
    // Each constant's type, as its loads declare it (the same for every load of one index).
    final java.util.SortedMap<Integer, String> constants = new java.util.TreeMap<>();
    for (final MethodNode m : cn.methods) {
      if (m.name.equals("<clinit>")) {
        continue;
      }
      for (final AbstractInsnNode insn : m.instructions) {
        if (insn instanceof LdcInsnNode ldc && classDataIndex(ldc.cst) >= 0) {
          final String desc = ((ConstantDynamic) ldc.cst).getDescriptor();
          constants.merge(classDataIndex(ldc.cst), desc, (a, b) -> a.equals(b) ? a : "Ljava/lang/Object;");
        }
      }
    }
    for (final MethodNode m : cn.methods) {
      if (isResidual(cn, m)) {
        final int slot = parameterSlots(m.desc);
        shiftLocals(m, slot);
        m.desc = withConstants(m.desc);
        // The instance arrives as an Object (its class is hidden: no descriptor names it); cast once.
        final InsnList cast = new InsnList();
        cast.add(new VarInsnNode(ALOAD, slot));
        cast.add(new TypeInsnNode(CHECKCAST, cn.name));
        cast.add(new VarInsnNode(ASTORE, slot));
        m.instructions.insert(cast);
      }
    }
    for (final Iterator<MethodNode> it = cn.methods.iterator(); it.hasNext();) {
      final MethodNode m = it.next();
      if (m.name.equals("<clinit>")) {
        if (dropResolvedConstants(m.instructions)) {
          it.remove();
        }
      } else if (m.name.equals("<init>")) {
        m.desc = "(" + CLASS_DATA_DESC + ")V";
        final InsnList init = new InsnList();
        init.add(new VarInsnNode(ALOAD, 0));
        init.add(new MethodInsnNode(INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false));
        for (final Map.Entry<Integer, String> c : constants.entrySet()) {
          init.add(new VarInsnNode(ALOAD, 0));
          init.add(new VarInsnNode(ALOAD, 1));
          init.add(ResidualMethod.intConstant(c.getKey()));
          init.add(new InsnNode(AALOAD));
          final Type type = Type.getType(c.getValue());
          if (!type.getInternalName().equals("java/lang/Object")) {
            init.add(new TypeInsnNode(CHECKCAST, type.getInternalName()));
          }
          init.add(new FieldInsnNode(PUTFIELD, cn.name, CONSTANT + c.getKey(), c.getValue()));
        }
        init.add(new InsnNode(RETURN));
        m.instructions = init;
      } else {
        loadConstantsFromFields(cn, m, constants);
      }
    }
    for (final Map.Entry<Integer, String> c : constants.entrySet()) {
      cn.fields.add(new FieldNode(ACC_PRIVATE | ACC_FINAL, CONSTANT + c.getKey(), c.getValue(), null, null));
    }
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
      @Override
      protected String getCommonSuperClass(final String type1, final String type2) {
        return HiddenClassAssembler.commonSuperClass(repository, lookupClass, type1, type2);
      }
    };
    WideJumps.widenIfLong(cn);
    cn.accept(cw);
    return cw.toByteArray();
  }

  private static boolean isResidual(final ClassNode cn, final MethodNode m) {
    return (m.access & ACC_STATIC) != 0 && m.name.startsWith(HiddenClassAssembler.METHOD);
  }

  private static boolean isResidualCall(final ClassNode cn, final AbstractInsnNode insn) {
    return insn instanceof MethodInsnNode call && call.getOpcode() == INVOKESTATIC && call.owner.equals(cn.name)
        && call.name.startsWith(HiddenClassAssembler.METHOD);
  }

  /** The local slots a static method's parameters take. */
  private static int parameterSlots(final String desc) {
    int slots = 0;
    for (final Type t : Type.getArgumentTypes(desc)) {
      slots += t.getSize();
    }
    return slots;
  }

  private static String withConstants(final String desc) {
    final int close = desc.indexOf(')');
    return desc.substring(0, close) + INSTANCE_DESC + desc.substring(close);
  }

  /** Moves every local from {@code parameterSlots} up one slot, freeing that slot for the instance. */
  private static void shiftLocals(final MethodNode m, final int parameterSlots) {
    for (final AbstractInsnNode insn : m.instructions) {
      if (insn instanceof VarInsnNode v && v.var >= parameterSlots) {
        v.var++;
      } else if (insn instanceof IincInsnNode i && i.var >= parameterSlots) {
        i.var++;
      }
    }
    if (m.localVariables != null) {
      for (final LocalVariableNode l : m.localVariables) {
        if (l.index >= parameterSlots) {
          l.index++;
        }
      }
    }
  }

  /**
   * Replaces class-data constants by loads of the instance's fields, and passes the instance to residual calls. In a
   * residual method the instance is its last parameter; elsewhere (the interface method) {@code this}.
   */
  private static void loadConstantsFromFields(final ClassNode cn, final MethodNode m,
      final Map<Integer, String> constants) {
    final boolean residual = isResidual(cn, m);
    // The instance is a residual method's last parameter (its descriptor already has it).
    final int instance = residual ? parameterSlots(m.desc) - 1 : 0;
    for (final AbstractInsnNode insn : m.instructions.toArray()) {
      if (insn instanceof LdcInsnNode ldc && classDataIndex(ldc.cst) >= 0) {
        final int i = classDataIndex(ldc.cst);
        final InsnList load = new InsnList();
        load.add(new VarInsnNode(ALOAD, instance));
        load.add(new FieldInsnNode(GETFIELD, cn.name, CONSTANT + i, constants.get(i)));
        final String declared = ((ConstantDynamic) ldc.cst).getDescriptor();
        if (!declared.equals(constants.get(i))) {
          load.add(new TypeInsnNode(CHECKCAST, Type.getType(declared).getInternalName()));
        }
        m.instructions.insert(ldc, load);
        m.instructions.remove(ldc);
      } else if (isResidualCall(cn, insn)) {
        final MethodInsnNode call = (MethodInsnNode) insn;
        m.instructions.insertBefore(call, new VarInsnNode(ALOAD, instance));
        call.desc = withConstants(call.desc);
      }
    }
  }

  /**
   * Removes the resolving of class-data constants (each an {@code ldc} and its {@code pop}); returns whether nothing
   * but the final {@code return} is left.
   */
  private static boolean dropResolvedConstants(final InsnList code) {
    for (final AbstractInsnNode insn : code.toArray()) {
      if (insn instanceof LdcInsnNode ldc && classDataIndex(ldc.cst) >= 0) {
        final AbstractInsnNode pop = ldc.getNext();
        code.remove(ldc);
        if (pop != null && (pop.getOpcode() == POP || pop.getOpcode() == POP2)) {
          code.remove(pop);
        }
      }
    }
    for (final AbstractInsnNode insn : code) {
      if (insn.getOpcode() >= 0 && insn.getOpcode() != RETURN) {
        return false;
      }
    }
    return true;
  }

  /** The class-data index a constant loads, or -1 when it is not a {@code classDataAt} constant. */
  private static int classDataIndex(final Object cst) {
    if (cst instanceof ConstantDynamic d) {
      final Handle bsm = d.getBootstrapMethod();
      if (bsm.getOwner().equals("java/lang/invoke/MethodHandles") && bsm.getName().equals("classDataAt")
          && d.getBootstrapMethodArgumentCount() == 1 && d.getBootstrapMethodArgument(0) instanceof Integer i) {
        return i;
      }
    }
    return -1;
  }
}
