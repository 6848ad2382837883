package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Call sites that write fields without a {@code putfield}. Every original call stays where it was, made by the same
 * class with the same arguments (same access checks, same exceptions); the weaver only adds code around it:
 * <ul>
 *   <li>{@code Field.set*}: bracketed by {@code org.quasi.runtime.ReflectiveWrites};</li>
 *   <li>calls that make a handle for a field ({@code Lookup.findVarHandle}, {@code findStaticVarHandle},
 *       {@code findSetter}, {@code findStaticSetter}, {@code unreflectSetter}, {@code unreflectVarHandle},
 *       {@code Atomic*FieldUpdater.newUpdater}): followed by {@code HandleWrites.remember};</li>
 *   <li>calls that may write through a handle (var handle write modes, {@code invoke}/{@code invokeExact} shaped
 *       like a setter, field updater writes): bracketed by {@code HandleWrites.begin}/{@code end};</li>
 *   <li>{@code Unsafe.objectFieldOffset}/{@code staticFieldOffset}: followed by {@code UnsafeWrites.remember};
 *       {@code Unsafe} stores taking an object and an offset: bracketed by {@code UnsafeWrites.begin}/{@code end};</li>
 *   <li>the rest is listed, one line each, for MemGuard to trap: {@code MethodHandle.invokeWithArguments(List)},
 *       address-only {@code Unsafe} stores, {@code copyMemory}/{@code setMemory}, and native methods (JNI).</li>
 * </ul>
 */
final class CallSites {

  private static final String FIELD = "java/lang/reflect/Field";
  private static final String REFLECTIVE = "org/quasi/runtime/ReflectiveWrites";
  private static final String HANDLES = "org/quasi/runtime/HandleWrites";
  private static final String UNSAFE_WRITES = "org/quasi/runtime/UnsafeWrites";
  private static final String LOOKUP = "java/lang/invoke/MethodHandles$Lookup";
  private static final String VAR_HANDLE = "java/lang/invoke/VarHandle";
  private static final String METHOD_HANDLE = "java/lang/invoke/MethodHandle";

  private static final Set<String> UPDATERS = Set.of("java/util/concurrent/atomic/AtomicIntegerFieldUpdater",
      "java/util/concurrent/atomic/AtomicLongFieldUpdater", "java/util/concurrent/atomic/AtomicReferenceFieldUpdater");

  private static final Set<String> UNSAFES = Set.of("sun/misc/Unsafe", "jdk/internal/misc/Unsafe");

  private final boolean strict;

  CallSites(final boolean strict) {
    this.strict = strict;
  }

  /**
   * Brackets every {@code Field.set*} and handle write site of {@code m}, follows every handle creation with its
   * remembering, and adds a line to {@code unrewritable} for every other site that may write a field; returns how
   * many write sites were bracketed. {@code m.maxLocals} grows when needed.
   */
  int rewrite(final String className, final MethodNode m, final List<String> unrewritable) {
    final String where = className.replace('/', '.') + "." + m.name + m.desc;
    if ((m.access & ACC_NATIVE) != 0) {
      unrewritable.add(where + ": native method (JNI can write any field)");
    }
    if (m.instructions.size() == 0) {
      return 0;
    }
    final int base = m.maxLocals;
    int locals = 0;
    int rerouted = 0;
    int line = -1;
    int index = 0;
    // Before a constructor's super(...) call, this is uninitialized: no exception handler is added there.
    boolean initialized = !"<init>".equals(m.name);
    int pendingNews = 0;
    for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; index++) {
      final AbstractInsnNode next = insn.getNext();
      if (insn instanceof LineNumberNode l) {
        line = l.line;
      } else if (!initialized && insn.getOpcode() == NEW) {
        pendingNews++;
      } else if (insn instanceof MethodInsnNode c) {
        if (!initialized && c.getOpcode() == INVOKESPECIAL && "<init>".equals(c.name)) {
          if (pendingNews == 0) {
            initialized = true;
          } else {
            pendingNews--;
          }
        }
        if (isFieldSet(c) && initialized) {
          bracket(m, c, base);
          locals = Math.max(locals, 5);
          rerouted++;
        } else if (isHandleWrite(c) && initialized) {
          locals = Math.max(locals, bracketHandleWrite(m, c, base));
          rerouted++;
        } else if (isUnsafeWrite(c) && initialized) {
          locals = Math.max(locals, bracketUnsafeWrite(m, c, base));
          rerouted++;
        } else if (isHandleCreation(c)) {
          locals = Math.max(locals, rememberAfter(m, c, base));
        } else if (isOffsetCreation(c)) {
          locals = Math.max(locals, rememberOffsetAfter(m, c, base));
        } else {
          final boolean bracketable = isFieldSet(c) || isHandleWrite(c) || isUnsafeWrite(c);
          final String what = bracketable
              ? c.owner.substring(c.owner.lastIndexOf('/') + 1) + "." + c.name + " before super(...)" : describe(c);
          if (what != null) {
            unrewritable.add(where + " insn " + index + (line < 0 ? "" : " (line " + line + ")") + ": " + what);
          }
        }
      }
      insn = next;
    }
    if (locals > 0) {
      m.maxLocals = Math.max(m.maxLocals, base + locals);
    }
    return rerouted;
  }

  private static boolean isFieldSet(final MethodInsnNode c) {
    return c.getOpcode() == INVOKEVIRTUAL && FIELD.equals(c.owner) && c.name.startsWith("set")
        && !c.name.equals("setAccessible") && Type.getArgumentTypes(c.desc).length == 2
        && Type.getReturnType(c.desc) == Type.VOID_TYPE;
  }

  /** A write through a var handle, a setter-shaped method handle invocation, or a field updater write. */
  private static boolean isHandleWrite(final MethodInsnNode c) {
    final String n = c.name;
    if (c.getOpcode() != INVOKEVIRTUAL) {
      return false;
    }
    if (VAR_HANDLE.equals(c.owner)) {
      return n.startsWith("set") || n.contains("compareAnd") || n.startsWith("getAndSet")
          || n.startsWith("getAndAdd") || n.startsWith("getAndBitwise");
    }
    if (METHOD_HANDLE.equals(c.owner)) {
      final int args = Type.getArgumentTypes(c.desc).length;
      return (n.equals("invoke") || n.equals("invokeExact")) && Type.getReturnType(c.desc) == Type.VOID_TYPE
          && (args == 1 || args == 2) || isInvokeWithArray(c);
    }
    if (UPDATERS.contains(c.owner)) {
      return !(n.equals("get") || n.equals("toString") || n.equals("newUpdater"))
          && Type.getArgumentTypes(c.desc).length >= 1;
    }
    return false;
  }

  /** {@code invokeWithArguments(Object...)}: the target is the array's first element. */
  private static boolean isInvokeWithArray(final MethodInsnNode c) {
    return METHOD_HANDLE.equals(c.owner) && c.name.equals("invokeWithArguments")
        && c.desc.equals("([Ljava/lang/Object;)Ljava/lang/Object;");
  }

  /** A call that makes a handle writing a field, whose field the runtime should remember. */
  private static boolean isHandleCreation(final MethodInsnNode c) {
    if (LOOKUP.equals(c.owner)) {
      return switch (c.name) {
        case "findVarHandle", "findStaticVarHandle", "findSetter", "findStaticSetter" ->
            c.desc.startsWith("(Ljava/lang/Class;Ljava/lang/String;Ljava/lang/Class;)");
        case "unreflectSetter", "unreflectVarHandle" -> c.desc.startsWith("(Ljava/lang/reflect/Field;)");
        default -> false;
      };
    }
    return UPDATERS.contains(c.owner) && c.name.equals("newUpdater") && c.getOpcode() == INVOKESTATIC;
  }

  /** An {@code Unsafe} store that takes an object and an offset: its field can be known from a remembered offset. */
  private static boolean isUnsafeWrite(final MethodInsnNode c) {
    if (!UNSAFES.contains(c.owner) || c.getOpcode() != INVOKEVIRTUAL || !unsafeWriteName(c.name)) {
      return false;
    }
    final Type[] args = Type.getArgumentTypes(c.desc);
    return args.length >= 3 && args[0].getDescriptor().equals("Ljava/lang/Object;")
        && args[1].getSort() == Type.LONG;
  }

  private static boolean unsafeWriteName(final String n) {
    return n.startsWith("put") || n.contains("compareAnd") || n.startsWith("getAndSet")
        || n.startsWith("getAndAdd") || n.startsWith("getAndBitwise");
  }

  /** {@code Unsafe.objectFieldOffset(Field)} or {@code staticFieldOffset(Field)}. */
  private static boolean isOffsetCreation(final MethodInsnNode c) {
    return UNSAFES.contains(c.owner) && (c.name.equals("objectFieldOffset") || c.name.equals("staticFieldOffset"))
        && c.desc.equals("(Ljava/lang/reflect/Field;)J");
  }

  /** {@code UnsafeWrites.remember(offset, field)} after an offset computation. */
  private static int rememberOffsetAfter(final MethodNode m, final MethodInsnNode c, final int base) {
    final int[] slots = spill(m, c, base);
    final InsnList after = new InsnList();
    after.add(new InsnNode(DUP2));
    after.add(new VarInsnNode(ALOAD, slots[1]));
    after.add(new MethodInsnNode(INVOKESTATIC, UNSAFE_WRITES, "remember", "(JL" + FIELD + ";)V", false));
    m.instructions.insert(c, after);
    return slots[slots.length - 1] - base;
  }

  /** {@code UnsafeWrites.begin(object, offset)} before the store, {@code end} after it, also when it throws. */
  private int bracketUnsafeWrite(final MethodNode m, final MethodInsnNode c, final int base) {
    final int[] slots = spill(m, c, base);
    final int token = slots[slots.length - 1];
    final int target = slots[1];
    final int offset = slots[2];
    final String endDesc = "(Ljava/lang/Object;Ljava/lang/Object;JZ)V";
    final InsnList before = new InsnList();
    before.add(new VarInsnNode(ALOAD, target));
    before.add(new VarInsnNode(LLOAD, offset));
    before.add(new MethodInsnNode(INVOKESTATIC, UNSAFE_WRITES, "begin", "(Ljava/lang/Object;J)Ljava/lang/Object;",
        false));
    before.add(new VarInsnNode(ASTORE, token));
    final LabelNode start = beginBeforeReloads(m, c, slots, before);
    endAfter(m, c, start, (after, asStrict) -> unsafeEnd(after, token, target, offset, asStrict, endDesc));
    return token + 1 - base;
  }

  private static void unsafeEnd(final InsnList s, final int token, final int target, final int offset,
      final boolean strict, final String desc) {
    s.add(new VarInsnNode(ALOAD, token));
    s.add(new VarInsnNode(ALOAD, target));
    s.add(new VarInsnNode(LLOAD, offset));
    s.add(new InsnNode(strict ? ICONST_1 : ICONST_0));
    s.add(new MethodInsnNode(INVOKESTATIC, UNSAFE_WRITES, "end", desc, false));
  }

  /** What the call may write, or {@code null} when it writes no field (or was bracketed). */
  private static String describe(final MethodInsnNode c) {
    final String n = c.name;
    if (METHOD_HANDLE.equals(c.owner) && n.equals("invokeWithArguments")) {
      // The List form: reading its first element would call the program's List.get.
      return "MethodHandle.invokeWithArguments" + c.desc + " (may invoke a setter)";
    }
    if (UNSAFES.contains(c.owner)) {
      final boolean write = unsafeWriteName(n) || n.equals("copyMemory") || n.equals("setMemory");
      return write ? "Unsafe." + n + c.desc + " (no object and offset to recognize)" : null;
    }
    return null;
  }

  /**
   * Spills the call's receiver (if any) and arguments into locals from {@code base}, in order, and reloads them, so
   * that code around the call can read them; returns the slot of each (receiver first) and, last, the next free one.
   */
  private static int[] spill(final MethodNode m, final MethodInsnNode c, final int base) {
    final Type[] args = Type.getArgumentTypes(c.desc);
    final boolean hasReceiver = c.getOpcode() != INVOKESTATIC;
    final int count = args.length + (hasReceiver ? 1 : 0);
    final int[] slots = new int[count + 1];
    final Type[] types = new Type[count];
    int slot = base;
    for (int i = 0; i < count; i++) {
      types[i] = hasReceiver ? (i == 0 ? Type.getObjectType("java/lang/Object") : args[i - 1]) : args[i];
      slots[i] = slot;
      slot += types[i].getSize();
    }
    slots[count] = slot;
    final InsnList code = new InsnList();
    for (int i = count - 1; i >= 0; i--) {
      code.add(new VarInsnNode(types[i].getOpcode(ISTORE), slots[i]));
    }
    for (int i = 0; i < count; i++) {
      code.add(new VarInsnNode(types[i].getOpcode(ILOAD), slots[i]));
    }
    m.instructions.insertBefore(c, code);
    return slots;
  }

  /** {@code HandleWrites.remember} after a handle creation; returns the locals used above {@code base}. */
  private static int rememberAfter(final MethodNode m, final MethodInsnNode c, final int base) {
    final int[] slots = spill(m, c, base);
    final InsnList after = new InsnList();
    after.add(new InsnNode(DUP));
    if (c.desc.startsWith("(Ljava/lang/reflect/Field;)")) {
      after.add(new VarInsnNode(ALOAD, slots[1]));
      after.add(new MethodInsnNode(INVOKESTATIC, HANDLES, "remember",
          "(Ljava/lang/Object;L" + FIELD + ";)V", false));
    } else {
      // Lookup: (lookup, refc, name, type); newUpdater: (tclass, [vclass,] name).
      final boolean lookup = LOOKUP.equals(c.owner);
      final int refc = lookup ? slots[1] : slots[0];
      final int name = lookup ? slots[2] : slots[Type.getArgumentTypes(c.desc).length - 1];
      after.add(new VarInsnNode(ALOAD, refc));
      after.add(new VarInsnNode(ALOAD, name));
      after.add(new InsnNode(c.name.contains("Static") ? ICONST_1 : ICONST_0));
      after.add(new MethodInsnNode(INVOKESTATIC, HANDLES, "remember",
          "(Ljava/lang/Object;Ljava/lang/Class;Ljava/lang/String;Z)V", false));
    }
    m.instructions.insert(c, after);
    return slots[slots.length - 1] - base;
  }

  /**
   * {@code HandleWrites.begin} before a write through a handle and {@code end} after it, also when it throws; the
   * target is the first argument when it is a reference. Returns the locals used above {@code base}.
   */
  private int bracketHandleWrite(final MethodNode m, final MethodInsnNode c, final int base) {
    final int[] slots = spill(m, c, base);
    final Type[] args = Type.getArgumentTypes(c.desc);
    final int token = slots[slots.length - 1];
    final int handle = slots[0];
    final boolean array = isInvokeWithArray(c);
    final boolean hasTarget = args.length > 0 && args[0].getSort() >= Type.ARRAY;
    final int target = array ? token + 1 : hasTarget ? slots[1] : -1;
    final String endDesc = "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Z)V";
    final InsnList before = new InsnList();
    if (array) {
      before.add(new VarInsnNode(ALOAD, slots[1]));
      before.add(new MethodInsnNode(INVOKESTATIC, HANDLES, "firstArgument",
          "([Ljava/lang/Object;)Ljava/lang/Object;", false));
      before.add(new VarInsnNode(ASTORE, target));
    }
    before.add(new VarInsnNode(ALOAD, handle));
    before.add(target < 0 ? new InsnNode(ACONST_NULL) : new VarInsnNode(ALOAD, target));
    before.add(new MethodInsnNode(INVOKESTATIC, HANDLES, "begin",
        "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;", false));
    before.add(new VarInsnNode(ASTORE, token));
    final LabelNode start = beginBeforeReloads(m, c, slots, before);
    endAfter(m, c, start, (after, asStrict) -> handleEnd(after, token, handle, target, asStrict, endDesc));
    return token + (array ? 2 : 1) - base;
  }

  private static void handleEnd(final InsnList s, final int token, final int handle, final int target,
      final boolean strict, final String desc) {
    s.add(new VarInsnNode(ALOAD, token));
    s.add(new VarInsnNode(ALOAD, handle));
    s.add(target < 0 ? new InsnNode(ACONST_NULL) : new VarInsnNode(ALOAD, target));
    s.add(new InsnNode(strict ? ICONST_1 : ICONST_0));
    s.add(new MethodInsnNode(INVOKESTATIC, HANDLES, "end", desc, false));
  }

  /**
   * Stack before: field, target, value. Locals: base = target, base + 1 = token, base + 2.. = value, base + 4 =
   * field.
   */
  private void bracket(final MethodNode m, final MethodInsnNode call, final int base) {
    final Type value = Type.getArgumentTypes(call.desc)[1];
    final int token = base + 1;
    final int valueSlot = base + 2;
    final int field = base + 4;
    final String endDesc = "(Ljava/lang/Object;L" + FIELD + ";Ljava/lang/Object;Z)V";
    final InsnList before = new InsnList();
    final LabelNode start = new LabelNode();
    before.add(new VarInsnNode(value.getOpcode(ISTORE), valueSlot));
    before.add(new VarInsnNode(ASTORE, base));
    before.add(new VarInsnNode(ASTORE, field));
    before.add(new VarInsnNode(ALOAD, field));
    before.add(new VarInsnNode(ALOAD, base));
    before.add(new MethodInsnNode(INVOKESTATIC, REFLECTIVE, "begin",
        "(L" + FIELD + ";Ljava/lang/Object;)Ljava/lang/Object;", false));
    before.add(new VarInsnNode(ASTORE, token));
    before.add(start);
    before.add(new VarInsnNode(ALOAD, field));
    before.add(new VarInsnNode(ALOAD, base));
    before.add(new VarInsnNode(value.getOpcode(ILOAD), valueSlot));
    m.instructions.insertBefore(call, before);
    endAfter(m, call, start, (after, asStrict) -> endCall(after, token, field, base, asStrict, endDesc));
  }

  /**
   * Inserts {@code begin} (which ends by storing the token) and a label starting the bracket's try range before the
   * reloads that {@link #spill} put before {@code c}, so that the range covers the reloads and the call; returns the
   * label.
   */
  private static LabelNode beginBeforeReloads(final MethodNode m, final MethodInsnNode c, final int[] slots,
      final InsnList begin) {
    AbstractInsnNode firstReload = c;
    for (int i = 0; i < slots.length - 1; i++) {
      firstReload = firstReload.getPrevious();
    }
    final LabelNode start = new LabelNode();
    begin.add(start);
    m.instructions.insertBefore(firstReload, begin);
    return start;
  }

  /**
   * Inserts after {@code call} the end of a bracket begun at {@code start}: {@code endCall} adds the call to the
   * runtime's {@code end} with the strictness it is given. On the normal path it runs with this rewriter's
   * strictness; on the exceptional path non-strict, and the exception is rethrown.
   */
  private void endAfter(final MethodNode m, final MethodInsnNode call, final LabelNode start,
      final BiConsumer<InsnList, Boolean> endCall) {
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final LabelNode done = new LabelNode();
    final InsnList after = new InsnList();
    after.add(end);
    endCall.accept(after, strict);
    after.add(new JumpInsnNode(GOTO, done));
    after.add(handler);
    endCall.accept(after, false);
    after.add(new InsnNode(ATHROW));
    after.add(done);
    m.instructions.insert(call, after);
    // First in the table: the innermost handler, so that a handler around the original call still sees the throw.
    m.tryCatchBlocks.add(0, new TryCatchBlockNode(start, end, handler, null));
  }

  private static void endCall(final InsnList s, final int token, final int field, final int target,
      final boolean strict, final String desc) {
    s.add(new VarInsnNode(ALOAD, token));
    s.add(new VarInsnNode(ALOAD, field));
    s.add(new VarInsnNode(ALOAD, target));
    s.add(new InsnNode(strict ? ICONST_1 : ICONST_0));
    s.add(new MethodInsnNode(INVOKESTATIC, REFLECTIVE, "end", desc, false));
  }
}
