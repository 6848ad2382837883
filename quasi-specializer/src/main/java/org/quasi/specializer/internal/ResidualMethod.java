package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Map;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * The residual method under construction: its instruction list, its locals and the known objects it refers to.
 *
 * <p>Known objects become class data of the hidden class and are loaded with {@code ldc} of a dynamic constant whose
 * bootstrap is {@link java.lang.invoke.MethodHandles#classDataAt}: to the JIT a resolved dynamic constant is a true
 * constant, so it folds through it (an instance field of some holder object would not be). Interned strings are
 * plain {@code ldc} constants; other strings go through class data too, so that identity is preserved.
 */
final class ResidualMethod {
  private static final Handle CLASS_DATA_AT = new Handle(H_INVOKESTATIC, "java/lang/invoke/MethodHandles",
      "classDataAt", "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;I)"
          + "Ljava/lang/Object;", false);

  final InsnList code = new InsnList();
  /** The residual method's exception table: specialized handlers ({@link ResidualHandlers}), then the unlocking one. */
  final java.util.List<org.objectweb.asm.tree.TryCatchBlockNode> handlers = new java.util.ArrayList<>();
  private final AccessPolicy access;
  private final List<Object> classData;
  private final Map<Object, Integer> classDataIndex;
  /** The strings the evaluated code loads as constants: the only ones pushed with {@code ldc}. */
  private final java.util.Set<Object> constantStrings;
  /** Virtual numbers of positional locals start here; see {@link #positional}. */
  static final int POSITIONAL = 1 << 20;
  /** Virtual numbers of temporaries start here; see {@link #newLocal}. */
  static final int TEMPORARY = 1 << 21;

  private final int parameterSlots;
  /** Materializes virtual values pushed as operands of residual code; set by the evaluator. */
  Materializer materializer;
  private final Map<Long, Integer> positional = new java.util.HashMap<>();
  private int nextTemporary = TEMPORARY;
  private int size;

  ResidualMethod(final AccessPolicy access, final int parameterSlots, final List<Object> classData,
      final Map<Object, Integer> classDataIndex, final java.util.Set<Object> constantStrings) {
    this.access = access;
    this.constantStrings = constantStrings;
    this.parameterSlots = parameterSlots;
    this.classData = classData;
    this.classDataIndex = classDataIndex;
  }

  /** Returns the number of real instructions emitted so far. */
  int size() {
    return size;
  }

  int parameterSlots() {
    return parameterSlots;
  }

  List<Object> classData() {
    return classData;
  }

  void add(final AbstractInsnNode insn) {
    code.add(insn);
    if (insn.getOpcode() >= 0) {
      size++;
    }
  }

  void add(final int opcode) {
    add(new InsnNode(opcode));
  }

  void place(final LabelNode label) {
    code.add(label);
  }

  /**
   * Returns a fresh temporary: a local written exactly once, by the instruction that computes an unknown value.
   * Temporaries get virtual numbers; {@link LocalAllocator} packs them into real slots at the end.
   */
  int newLocal(final Value.Kind kind) {
    return nextTemporary++;
  }

  /**
   * Returns the local holding, at the entry of every variant, the unknown value of kind {@code kind} found in local
   * {@code slot} (or stack entry {@code slot} if {@code stack}) of the frame at inlining depth {@code depth}. Sharing
   * these between variants keeps the residual method's locals few; values move into them only at jumps to a variant.
   */
  int positional(final int depth, final boolean stack, final int slot, final Value.Kind kind) {
    final long key = ((long) depth << 40) | ((long) (stack ? 1 : 0) << 39) | ((long) slot << 8) | kind.ordinal();
    return positional.computeIfAbsent(key, k -> POSITIONAL + positional.size());
  }

  /** Pushes a value onto the residual operand stack. */
  void push(final Value v) {
    if (v instanceof Unknown u) {
      add(new VarInsnNode(u.kind.loadOpcode(), u.local));
    } else if (v instanceof Known k) {
      pushConstant(k);
    } else if (v instanceof Virtual w && materializer != null) {
      // The value escapes into residual code here: it becomes a real object first.
      add(new VarInsnNode(ALOAD, materializer.materialize(w).local));
    } else {
      throw new IllegalStateException("cannot materialize " + v);
    }
  }

  /** Stores the value on top of the residual stack into a fresh local and returns it as an unknown value. */
  Unknown storeResult(final Value.Kind kind) {
    final Unknown u = new Unknown(kind, newLocal(kind));
    add(new VarInsnNode(kind.storeOpcode(), u.local));
    return u;
  }

  /** Stores the value on top of the residual stack into an existing local. */
  void storeInto(final Unknown target) {
    add(new VarInsnNode(target.kind.storeOpcode(), target.local));
  }

  private void pushConstant(final Known k) {
    switch (k.kind()) {
      case INT -> pushInt(k.asInt());
      case LONG -> {
        final long v = k.asLong();
        add(v == 0L || v == 1L ? new InsnNode(LCONST_0 + (int) v) : new LdcInsnNode(v));
      }
      case FLOAT -> {
        final float v = k.asFloat();
        final int bits = Float.floatToRawIntBits(v);
        add(bits == 0 || v == 1f || v == 2f ? new InsnNode(FCONST_0 + (int) v) : new LdcInsnNode(v));
      }
      case DOUBLE -> {
        final double v = k.asDouble();
        final long bits = Double.doubleToRawLongBits(v);
        add(bits == 0L || v == 1d ? new InsnNode(DCONST_0 + (int) v) : new LdcInsnNode(v));
      }
      case REF -> pushReference(k.value());
      default -> throw new IllegalStateException("cannot materialize " + k);
    }
  }

  private void pushInt(final int v) {
    add(intConstant(v));
  }

  /** The shortest instruction pushing {@code v}. */
  static AbstractInsnNode intConstant(final int v) {
    if (v >= -1 && v <= 5) {
      return new InsnNode(ICONST_0 + v);
    }
    if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
      return new IntInsnNode(BIPUSH, v);
    }
    if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
      return new IntInsnNode(SIPUSH, v);
    }
    return new LdcInsnNode(v);
  }

  private void pushReference(final Object o) {
    if (o == null) {
      add(new InsnNode(ACONST_NULL));
      return;
    }
    // Not s.intern() == s: interning a string from the heap would make it the instance the program's own ldc of
    // that text resolves to.
    if (o instanceof String s && constantStrings.contains(s)) {
      add(new LdcInsnNode(s));
      return;
    }
    add(classDataConstant(o));
  }

  /** Returns an instruction loading non-null object {@code o} from the hidden class's class data (not added). */
  LdcInsnNode classDataConstant(final Object o) {
    final int index = classDataIndex.computeIfAbsent(o, x -> {
      classData.add(x);
      return classData.size() - 1;
    });
    final Type type = Type.getType(access.nearestAccessible(o.getClass()));
    return new LdcInsnNode(new ConstantDynamic("_", type.getDescriptor(), CLASS_DATA_AT, index));
  }

  /** Thrown when the residual method would break a class-file limit; the specializer then retries with less. */
  static final class ResidualTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResidualTooLarge(final String message) {
      super(message);
    }
  }
}
