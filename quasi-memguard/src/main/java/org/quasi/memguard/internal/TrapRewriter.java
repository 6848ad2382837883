package org.quasi.memguard.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.FrameNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.quasi.specializer.internal.WideJumps;

/**
 * Mechanism 1's bytecode side: rewrites a class file so that every write MemGuard can trap goes through a check.
 *
 * <p>Each trapped instruction is replaced by an {@code invokestatic} of a private static synthetic helper
 * ({@code $memguard$trap$N}) added to the same class, taking the instruction's operands and returning its result, so
 * the stack and the stack map frames of the original method are unchanged. The helper checks ({@link Traps}) and then
 * executes the original instruction: in the original class, so field access, {@code Lookup} capabilities and
 * caller-sensitive methods ({@code Field.set}, {@code newUpdater}) behave exactly as before.
 *
 * <p>Trapped: {@code putfield}/{@code putstatic} whose field name the filter accepts (every field when MemGuard is
 * used dynamically; the spec's field names, whatever the owner, under a spec: resolution may name a subclass); array
 * stores when there is no filter (a spec names no array element); and the calls in
 * {@link TrapTable}. Left alone, each for a reason:
 * <ul>
 *   <li>writes already woven with a guard by quasi-agent (recognized by the woven sequence just before the store:
 *       the QUID load, the static flag test, or {@code Guards.beforeWrite}/{@code beforeStaticWrite}), and write
 *       calls it bracketed with its runtime's guard ({@code ReflectiveWrites}, {@code HandleWrites},
 *       {@code UnsafeWrites}: recognized by the {@code end} call right after the call, see {@link #agentBracketed}),
 *       are trapped with a mark, and reported only where the bracket is no guarded write: a field protected at run
 *       time outside the spec on an object without a QUID, or an array element ({@link Traps#AGENT_GUARDED});
 *   <li>writes to the class's own {@code final} fields in its static initializer (the JVM allows them only there,
 *       and they initialize rather than change);
 *   <li>{@code putfield}s in a constructor to fields named through the class itself: the object under construction
 *       being built (not yet shared, so not yet protected by anyone but a constructor that leaks {@code this}). A
 *       constructor that writes another instance of its own class this way is not trapped either;
 *   <li>writes in a constructor before its {@code super(...)}/{@code this(...)} call (to an uninitialized
 *       {@code this}, which cannot be passed to a helper and cannot be protected yet);
 *   <li>classes older than Java 6 (class file 50: no class constants for the helper's checks) and interfaces older
 *       than Java 8 (no static methods), reported by {@link Result#skipped}.
 * </ul>
 */
public final class TrapRewriter {

  /** Prefix of the helpers; stack traces drop their frames. */
  public static final String HELPER_PREFIX = "$memguard$trap$";
  static final String TRAPS = "org/quasi/memguard/internal/Traps";

  private final Set<String> fieldNames;

  /**
   * Array stores trapped when every write is ({@code fieldNames == null}), by opcode: the array type the helper
   * takes. {@code bastore} stores into {@code byte[]} and {@code boolean[]} alike, so its helper takes an
   * {@code Object} and casts to the one the array is.
   */
  private static final java.util.Map<Integer, String> ARRAY_STORES = java.util.Map.of(IASTORE, "[I", LASTORE, "[J",
      FASTORE, "[F", DASTORE, "[D", CASTORE, "[C", SASTORE, "[S", AASTORE, "[Ljava/lang/Object;",
      BASTORE, "Ljava/lang/Object;");

  /**
   * @param fieldNames the field names whose {@code putfield}/{@code putstatic} are trapped, or {@code null} for all
   */
  public TrapRewriter(final Set<String> fieldNames) {
    this.fieldNames = fieldNames == null ? null : Set.copyOf(fieldNames);
  }

  /**
   * What rewriting did to one class: the new bytes ({@code null} when unchanged), how many sites were trapped, and
   * why the class was skipped ({@code null} when it was not).
   */
  public record Result(String className, byte[] bytes, int sites, String skipped) {
  }

  /**
   * Rewrites one class file.
   *
   * @throws IllegalArgumentException if ASM cannot read it
   */
  public Result rewrite(final byte[] classFile) {
    return rewrite(classFile, 0);
  }

  /** Rewrites with the class's frames read with {@code readFlags}: compressed, or expanded to widen long jumps. */
  private Result rewrite(final byte[] classFile, final int readFlags) {
    final ClassNode c = new ClassNode();
    try {
      new ClassReader(classFile).accept(c, readFlags);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a readable class file: " + e, e);
    }
    final String name = c.name.replace('/', '.');
    final int major = c.version & 0xFFFF;
    for (final MethodNode m : c.methods) {
      if (m.name.startsWith(HELPER_PREFIX)) {
        return new Result(name, null, 0, null);
      }
    }
    if (major < V1_6) {
      return new Result(name, null, 0, "class file version " + major + " (older than Java 6) is not trapped");
    }
    if ((c.access & ACC_INTERFACE) != 0 && major < V1_8) {
      return new Result(name, null, 0, "interface of class file version " + major + " cannot hold trap helpers");
    }
    final List<MethodNode> helpers = new ArrayList<>();
    int sites = 0;
    for (final MethodNode m : c.methods) {
      sites += rewrite(c, m, helpers);
    }
    if (sites == 0) {
      return new Result(name, null, 0, null);
    }
    c.methods.addAll(helpers);
    if (readFlags == ClassReader.EXPAND_FRAMES) {
      try {
        WideJumps.widenIfLongKeepingFrames(c);
      } catch (IllegalArgumentException e) {
        return new Result(name, null, 0, "its jumps cannot be widened keeping its frames: " + e.getMessage());
      }
    }
    final ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    c.accept(w);
    try {
      return new Result(name, w.toByteArray(), sites, null);
    } catch (RuntimeException e) {
      // A method past 32 KB (an array store's trap is two bytes longer) may need wide jumps, which ASM 9.11.1 fails
      // to make on some layouts (see WideJumps): they are made here, keeping the frames, which must be expanded.
      if (readFlags != ClassReader.EXPAND_FRAMES && WideJumps.hasLongJumps(c)) {
        return rewrite(classFile, ClassReader.EXPAND_FRAMES);
      }
      throw e;
    }
  }

  private int rewrite(final ClassNode c, final MethodNode m, final List<MethodNode> helpers) {
    if (m.instructions.size() == 0) {
      return 0;
    }
    final boolean constructor = "<init>".equals(m.name);
    final boolean initializer = constructor || "<clinit>".equals(m.name);
    int pendingNews = 0;
    boolean initialized = !constructor;
    int sites = 0;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; ) {
      final AbstractInsnNode next = insn.getNext();
      if (!initialized) {
        if (insn.getOpcode() == NEW) {
          pendingNews++;
        } else if (insn.getOpcode() == INVOKESPECIAL && "<init>".equals(((MethodInsnNode) insn).name)) {
          if (pendingNews == 0) {
            initialized = true;
          } else {
            pendingNews--;
          }
        }
      } else if (insn instanceof FieldInsnNode f && (f.getOpcode() == PUTFIELD || f.getOpcode() == PUTSTATIC)) {
        if ((fieldNames == null || fieldNames.contains(f.name)) && !wovenGuarded(f)
            && !(constructor && f.getOpcode() == PUTFIELD && f.owner.equals(c.name))
            && !(initializer && f.owner.equals(c.name) && isFinal(c, f.name))) {
          final MethodNode helper = fieldHelper(c, helpers.size(), f);
          replace(c, m, insn, helper, helpers);
          sites++;
        }
      } else if (fieldNames == null && ARRAY_STORES.containsKey(insn.getOpcode())) {
        replace(c, m, insn, arrayHelper(c, helpers.size(), insn.getOpcode()), helpers);
        sites++;
      } else if (insn instanceof MethodInsnNode call) {
        final TrapTable.Trap trap = TrapTable.of(call.getOpcode(), call.owner, call.name, call.desc);
        if (trap != null && trap.kind() == TrapTable.Kind.CHECK && agentBracketed(call)) {
          // Guarded by quasi-agent where its guard weaving applies (a declared field, or an object with a QUID);
          // a field protected only at run time, or an array element, is not: the trap tells them apart when the
          // call runs (Traps.AGENT_GUARDED).
          final TrapTable.Trap bracketed = new TrapTable.Trap(trap.kind(), Traps.AGENT_GUARDED + trap.how());
          replace(c, m, insn, callHelper(c, helpers.size(), call, bracketed), helpers);
          sites++;
        } else if (trap != null) {
          replace(c, m, insn, callHelper(c, helpers.size(), call, trap), helpers);
          sites++;
        }
      }
      insn = next;
    }
    return sites;
  }

  private static void replace(final ClassNode c, final MethodNode m, final AbstractInsnNode insn,
      final MethodNode helper, final List<MethodNode> helpers) {
    helpers.add(helper);
    m.instructions.set(insn, new MethodInsnNode(INVOKESTATIC, c.name, helper.name, helper.desc,
        (c.access & ACC_INTERFACE) != 0));
  }

  private static boolean isFinal(final ClassNode c, final String field) {
    for (final FieldNode f : c.fields) {
      if (f.name.equals(field)) {
        return (f.access & ACC_FINAL) != 0;
      }
    }
    return false;
  }

  /**
   * Whether a store is part of a guarded write woven by quasi-agent: within the few instructions before it (no
   * label in between) there is the QUID load, the static flag's {@code armed()} test, or the slow path's
   * {@code Guards.beforeWrite}/{@code beforeStaticWrite}. Only woven code contains these.
   */
  static boolean wovenGuarded(final AbstractInsnNode store) {
    int seen = 0;
    for (AbstractInsnNode p = store.getPrevious(); p != null && seen < 6; p = p.getPrevious()) {
      if (p instanceof LabelNode) {
        return false;
      }
      if (p.getOpcode() < 0) {
        continue;
      }
      seen++;
      if (p instanceof FieldInsnNode g && g.getOpcode() == GETFIELD && "$quasi$quid".equals(g.name)) {
        return true;
      }
      if (p instanceof MethodInsnNode call
          && (("org/quasi/runtime/Guards".equals(call.owner) && call.name.startsWith("before"))
              || ("org/quasi/runtime/GuardFlag".equals(call.owner) && "armed".equals(call.name)))) {
        return true;
      }
      if (p.getOpcode() == PUTFIELD || p.getOpcode() == PUTSTATIC) {
        return false;
      }
    }
    return false;
  }

  /** The runtime classes whose {@code end} quasi-agent calls right after a write call it guarded. */
  private static final Set<String> BRACKETS = Set.of("org/quasi/runtime/ReflectiveWrites",
      "org/quasi/runtime/HandleWrites", "org/quasi/runtime/UnsafeWrites");

  /**
   * Whether a write call ({@code Field.set*}, a var handle or updater write, a setter-shaped {@code invoke}, an
   * {@code Unsafe} store) is a guarded write woven by quasi-agent: it brackets such a call with its runtime's
   * {@code begin} (which runs the guard before the write) and {@code end}, which it calls right after the call, its
   * arguments loaded from locals (no other call in between). Only woven code contains these.
   */
  static boolean agentBracketed(final MethodInsnNode call) {
    int seen = 0;
    for (AbstractInsnNode n = call.getNext(); n != null && seen < 8; n = n.getNext()) {
      if (n.getOpcode() < 0) {
        continue; // the label that ends the bracket's try block, line numbers, frames
      }
      seen++;
      if (n instanceof MethodInsnNode end) {
        return end.getOpcode() == INVOKESTATIC && "end".equals(end.name) && BRACKETS.contains(end.owner);
      }
      if (n instanceof JumpInsnNode || n instanceof FieldInsnNode) {
        return false;
      }
    }
    return false;
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Helpers
  // -----------------------------------------------------------------------------------------------------------------

  private static MethodNode newHelper(final ClassNode c, final int index, final String desc) {
    return new MethodNode(ACC_PRIVATE | ACC_STATIC | ACC_SYNTHETIC, HELPER_PREFIX + index, desc, null, null);
  }

  /**
   * {@code putfield O.f:D} becomes {@code helper(O, D)}:
   * <pre>{@code
   * if (Traps.armed && Traps.isProtected(o, O.class, "f")) Traps.putfield(o, O.class, "f", box(o.f), box(v));
   * o.f = v;
   * }</pre>
   * and {@code putstatic} likewise with {@code isProtectedStatic}/{@code putstatic} and no receiver.
   */
  private static MethodNode fieldHelper(final ClassNode c, final int index, final FieldInsnNode f) {
    final boolean isStatic = f.getOpcode() == PUTSTATIC;
    final Type value = Type.getType(f.desc);
    final Type owner = Type.getObjectType(f.owner);
    final String desc = isStatic ? "(" + f.desc + ")V" : "(" + owner.getDescriptor() + f.desc + ")V";
    final MethodNode h = newHelper(c, index, desc);
    final int valueSlot = isStatic ? 0 : 1;
    final InsnList s = h.instructions;
    final LabelNode store = new LabelNode();
    s.add(new FieldInsnNode(GETSTATIC, TRAPS, "armed", "Z"));
    s.add(new JumpInsnNode(IFEQ, store));
    if (!isStatic) {
      s.add(new VarInsnNode(ALOAD, 0));
    }
    s.add(new LdcInsnNode(owner));
    s.add(new LdcInsnNode(f.name));
    s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, isStatic ? "isProtectedStatic" : "isProtected",
        isStatic ? "(Ljava/lang/Class;Ljava/lang/String;)Z" : "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;)Z",
        false));
    s.add(new JumpInsnNode(IFEQ, store));
    if (!isStatic) {
      s.add(new VarInsnNode(ALOAD, 0));
    }
    s.add(new LdcInsnNode(owner));
    s.add(new LdcInsnNode(f.name));
    if (isStatic) {
      s.add(new FieldInsnNode(GETSTATIC, f.owner, f.name, f.desc));
    } else {
      s.add(new VarInsnNode(ALOAD, 0));
      s.add(new FieldInsnNode(GETFIELD, f.owner, f.name, f.desc));
    }
    box(s, value);
    s.add(new VarInsnNode(value.getOpcode(ILOAD), valueSlot));
    box(s, value);
    s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, isStatic ? "putstatic" : "putfield", isStatic
        ? "(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)V"
        : "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Object;Ljava/lang/Object;)V", false));
    s.add(store);
    s.add(new FrameNode(F_SAME, 0, null, 0, null));
    if (!isStatic) {
      s.add(new VarInsnNode(ALOAD, 0));
    }
    s.add(new VarInsnNode(value.getOpcode(ILOAD), valueSlot));
    s.add(new FieldInsnNode(f.getOpcode(), f.owner, f.name, f.desc));
    s.add(new InsnNode(RETURN));
    return h;
  }

  /**
   * {@code xastore} becomes {@code helper(array, index, value)}:
   * <pre>{@code
   * if (Traps.armed && Traps.isProtectedElement(a, i)) Traps.arrayStore("iastore", a, i, box(v));
   * a[i] = v;
   * }</pre>
   * ({@code aastore} takes {@code Object[]}: array covariance lets the verifier accept any reference array, and the
   * store keeps its own {@code ArrayStoreException} check. {@code bastore} takes an {@code Object} and stores through
   * a cast to {@code byte[]} or, failing {@code instanceof}, {@code boolean[]}; a null array still throws the
   * {@code NullPointerException} of the store.)
   */
  private static MethodNode arrayHelper(final ClassNode c, final int index, final int opcode) {
    final Type array = Type.getType(ARRAY_STORES.get(opcode));
    final Type value = opcode == BASTORE ? Type.INT_TYPE
        : array.getElementType().getSort() == Type.OBJECT ? Type.getType(Object.class) : array.getElementType();
    final MethodNode h = newHelper(c, index, Type.getMethodDescriptor(Type.VOID_TYPE, array, Type.INT_TYPE, value));
    final InsnList s = h.instructions;
    final LabelNode store = new LabelNode();
    s.add(new FieldInsnNode(GETSTATIC, TRAPS, "armed", "Z"));
    s.add(new JumpInsnNode(IFEQ, store));
    s.add(new VarInsnNode(ALOAD, 0));
    s.add(new VarInsnNode(ILOAD, 1));
    s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, "isProtectedElement", "(Ljava/lang/Object;I)Z", false));
    s.add(new JumpInsnNode(IFEQ, store));
    s.add(new LdcInsnNode(storeName(opcode)));
    s.add(new VarInsnNode(ALOAD, 0));
    s.add(new VarInsnNode(ILOAD, 1));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), 2));
    box(s, value);
    s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, "arrayStore",
        "(Ljava/lang/String;Ljava/lang/Object;ILjava/lang/Object;)V", false));
    s.add(store);
    s.add(new FrameNode(F_SAME, 0, null, 0, null));
    if (opcode == BASTORE) {
      // byte[] or boolean[]: bastore itself truncates (byte) or masks with 1 (boolean), as in the original.
      final LabelNode booleans = new LabelNode();
      s.add(new VarInsnNode(ALOAD, 0));
      s.add(new TypeInsnNode(INSTANCEOF, "[B"));
      s.add(new JumpInsnNode(IFEQ, booleans));
      s.add(new VarInsnNode(ALOAD, 0));
      s.add(new TypeInsnNode(CHECKCAST, "[B"));
      s.add(new VarInsnNode(ILOAD, 1));
      s.add(new VarInsnNode(ILOAD, 2));
      s.add(new InsnNode(BASTORE));
      s.add(new InsnNode(RETURN));
      s.add(booleans);
      s.add(new FrameNode(F_SAME, 0, null, 0, null));
      s.add(new VarInsnNode(ALOAD, 0));
      s.add(new TypeInsnNode(CHECKCAST, "[Z"));
    } else {
      s.add(new VarInsnNode(ALOAD, 0));
    }
    s.add(new VarInsnNode(ILOAD, 1));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), 2));
    s.add(new InsnNode(opcode));
    s.add(new InsnNode(RETURN));
    return h;
  }

  private static String storeName(final int opcode) {
    return switch (opcode) {
      case IASTORE -> "iastore";
      case LASTORE -> "lastore";
      case FASTORE -> "fastore";
      case DASTORE -> "dastore";
      case CASTORE -> "castore";
      case SASTORE -> "sastore";
      case BASTORE -> "bastore";
      default -> "aastore";
    };
  }

  /**
   * A trapped call {@code owner.name(desc)} becomes {@code helper(receiver?, args...)}. A check:
   * <pre>{@code
   * if (Traps.armed) Traps.call("how", new Object[] {receiver, box(args)...});
   * return receiver.name(args...);
   * }</pre>
   * An acquisition: {@code return (R) Traps.acquired("how", receiver.name(args...), new Object[] {...});}
   */
  private static MethodNode callHelper(final ClassNode c, final int index, final MethodInsnNode call,
      final TrapTable.Trap trap) {
    final boolean hasReceiver = call.getOpcode() != INVOKESTATIC;
    final Type[] args = Type.getArgumentTypes(call.desc);
    final Type result = Type.getReturnType(call.desc);
    final List<Type> params = new ArrayList<>();
    if (hasReceiver) {
      params.add(Type.getObjectType(call.owner));
    }
    params.addAll(List.of(args));
    final String desc = Type.getMethodDescriptor(result, params.toArray(Type[]::new));
    final MethodNode h = newHelper(c, index, desc);
    final InsnList s = h.instructions;
    if (trap.kind() == TrapTable.Kind.CHECK) {
      final LabelNode go = new LabelNode();
      s.add(new FieldInsnNode(GETSTATIC, TRAPS, "armed", "Z"));
      s.add(new JumpInsnNode(IFEQ, go));
      s.add(new LdcInsnNode(trap.how()));
      operandArray(s, params);
      s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, "call", "(Ljava/lang/String;[Ljava/lang/Object;)V", false));
      s.add(go);
      s.add(new FrameNode(F_SAME, 0, null, 0, null));
      loadAll(s, params);
      s.add(new MethodInsnNode(call.getOpcode(), call.owner, call.name, call.desc, call.itf));
      s.add(new InsnNode(result.getOpcode(IRETURN)));
    } else {
      loadAll(s, params);
      s.add(new MethodInsnNode(call.getOpcode(), call.owner, call.name, call.desc, call.itf));
      s.add(new LdcInsnNode(trap.how()));
      s.add(new InsnNode(SWAP));
      operandArray(s, params);
      s.add(new MethodInsnNode(INVOKESTATIC, TRAPS, "acquired",
          "(Ljava/lang/String;Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", false));
      s.add(new TypeInsnNode(CHECKCAST, result.getInternalName()));
      s.add(new InsnNode(ARETURN));
    }
    return h;
  }

  private static void loadAll(final InsnList s, final List<Type> params) {
    int slot = 0;
    for (final Type t : params) {
      s.add(new VarInsnNode(t.getOpcode(ILOAD), slot));
      slot += t.getSize();
    }
  }

  private static void operandArray(final InsnList s, final List<Type> params) {
    s.add(new IntInsnNode(SIPUSH, params.size()));
    s.add(new TypeInsnNode(ANEWARRAY, "java/lang/Object"));
    int slot = 0;
    for (int i = 0; i < params.size(); i++) {
      final Type t = params.get(i);
      s.add(new InsnNode(DUP));
      s.add(new IntInsnNode(SIPUSH, i));
      s.add(new VarInsnNode(t.getOpcode(ILOAD), slot));
      box(s, t);
      s.add(new InsnNode(AASTORE));
      slot += t.getSize();
    }
  }

  // Kept here rather than shared with quasi-agent: the shaded MemGuard agent's calls carry relocated ASM types, and an
  // application whose class path also holds the unshaded quasi-agent would link those calls to the wrong copy
  // (SignalsUnderMemGuardTest caught it). The same holds for the constructor-prologue tracking above.
  private static void box(final InsnList s, final Type t) {
    final String box = switch (t.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.BYTE -> "java/lang/Byte";
      case Type.CHAR -> "java/lang/Character";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      case Type.DOUBLE -> "java/lang/Double";
      default -> null;
    };
    if (box != null) {
      s.add(new MethodInsnNode(INVOKESTATIC, box, "valueOf", "(" + t.getDescriptor() + ")L" + box + ";", false));
    }
  }
}
