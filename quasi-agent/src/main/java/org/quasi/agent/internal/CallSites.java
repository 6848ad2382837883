package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import java.util.Set;
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
 * Call sites that write fields without a {@code putfield}: {@code Field.set*} sites are bracketed by
 * {@code org.quasi.runtime.ReflectiveWrites} (the call itself stays, made by the same class: same access checks,
 * same exceptions); the others are listed, one line each, for MemGuard to trap: var handle write modes, method
 * handle invocations shaped like a setter, field updater writes, {@code Unsafe} stores, and native methods (JNI).
 *
 * <p>Why the others stay as they are: at the call site the written field is not known (a var handle, method handle
 * or updater does not tell which field it was made for; an {@code Unsafe} offset is a number), so a helper would
 * have to map the handle back to its field at every call, and could not do it for handles made outside woven code.
 */
final class CallSites {

  private static final String FIELD = "java/lang/reflect/Field";
  private static final String REFLECTIVE = "org/quasi/runtime/ReflectiveWrites";

  private static final Set<String> UPDATERS = Set.of("java/util/concurrent/atomic/AtomicIntegerFieldUpdater",
      "java/util/concurrent/atomic/AtomicLongFieldUpdater", "java/util/concurrent/atomic/AtomicReferenceFieldUpdater");

  private static final Set<String> UNSAFES = Set.of("sun/misc/Unsafe", "jdk/internal/misc/Unsafe");

  private final boolean strict;

  CallSites(final boolean strict) {
    this.strict = strict;
  }

  /**
   * Brackets every {@code Field.set*} site of {@code m} and adds a line to {@code unrewritable} for every other
   * site that may write a field; returns how many sites were bracketed. {@code m.maxLocals} grows when needed.
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
          rerouted++;
        } else {
          final String what = isFieldSet(c) ? "Field." + c.name + " before super(...)" : describe(c);
          if (what != null) {
            unrewritable.add(where + " insn " + index + (line < 0 ? "" : " (line " + line + ")") + ": " + what);
          }
        }
      }
      insn = next;
    }
    if (rerouted > 0) {
      m.maxLocals = Math.max(m.maxLocals, base + 5);
    }
    return rerouted;
  }

  private static boolean isFieldSet(final MethodInsnNode c) {
    return c.getOpcode() == INVOKEVIRTUAL && FIELD.equals(c.owner) && c.name.startsWith("set")
        && !c.name.equals("setAccessible") && Type.getArgumentTypes(c.desc).length == 2
        && Type.getReturnType(c.desc) == Type.VOID_TYPE;
  }

  /** What the call may write, or {@code null} when it writes no field. */
  private static String describe(final MethodInsnNode c) {
    final String n = c.name;
    if ("java/lang/invoke/VarHandle".equals(c.owner)) {
      final boolean write = n.startsWith("set") || n.contains("compareAnd") || n.startsWith("getAndSet")
          || n.startsWith("getAndAdd") || n.startsWith("getAndBitwise");
      return write ? "VarHandle." + n + " (the handle's field is unknown here)" : null;
    }
    if ("java/lang/invoke/MethodHandle".equals(c.owner)) {
      if (n.equals("invokeWithArguments")) {
        return "MethodHandle.invokeWithArguments (may invoke a setter)";
      }
      final Type[] args = Type.getArgumentTypes(c.desc);
      final boolean setterShape = (n.equals("invoke") || n.equals("invokeExact"))
          && Type.getReturnType(c.desc) == Type.VOID_TYPE && (args.length == 1 || args.length == 2);
      return setterShape ? "MethodHandle." + n + c.desc + " (may invoke a setter)" : null;
    }
    if (UPDATERS.contains(c.owner)) {
      final boolean read = n.equals("get") || n.equals("newUpdater") || n.equals("toString");
      return read ? null : c.owner.substring(c.owner.lastIndexOf('/') + 1) + "." + n;
    }
    if (UNSAFES.contains(c.owner)) {
      final boolean write = n.startsWith("put") || n.contains("compareAnd") || n.startsWith("getAndSet")
          || n.startsWith("getAndAdd") || n.startsWith("getAndBitwise") || n.equals("copyMemory")
          || n.equals("setMemory");
      return write ? "Unsafe." + n + " (an offset is a number)" : null;
    }
    return null;
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
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final LabelNode done = new LabelNode();
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
    final InsnList after = new InsnList();
    after.add(end);
    endCall(after, token, field, base, strict, endDesc);
    after.add(new JumpInsnNode(GOTO, done));
    after.add(handler);
    endCall(after, token, field, base, false, endDesc);
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
