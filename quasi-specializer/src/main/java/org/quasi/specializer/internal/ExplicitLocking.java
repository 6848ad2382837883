package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The body of a {@code synchronized} method with its locking made explicit, as the JVM performs it (JVMS 2.11.10):
 * enter the monitor of the receiver (of the class, for a static method) first, exit it before every return, and exit
 * it and rethrow from a catch-all handler around the whole body. The partial evaluator then specializes the method,
 * as entry or inlined callee, like a body with a {@code synchronized} block: {@code monitorenter} and
 * {@code monitorexit} are always residual, on the same object, so the locking is kept exactly.
 *
 * <p>The lock is kept in a fresh local (the body may overwrite local 0).
 */
final class ExplicitLocking {
  private ExplicitLocking() {
  }

  /** Returns a copy of synchronized method {@code m} of class {@code owner}, not synchronized, locking explicitly. */
  static MethodNode of(final String owner, final MethodNode m) {
    final MethodNode copy = new MethodNode(m.access & ~ACC_SYNCHRONIZED, m.name, m.desc, m.signature,
        m.exceptions == null ? null : m.exceptions.toArray(new String[0]));
    m.accept(copy);
    copy.access = m.access & ~ACC_SYNCHRONIZED;
    final int lock = copy.maxLocals;
    final int thrown = lock + 1;
    copy.maxLocals += 2;
    copy.maxStack = Math.max(copy.maxStack, 2);
    final InsnList code = copy.instructions;
    for (final AbstractInsnNode insn : code.toArray()) {
      final int op = insn.getOpcode();
      if (op >= IRETURN && op <= RETURN) {
        code.insertBefore(insn, new VarInsnNode(ALOAD, lock));
        code.insertBefore(insn, new InsnNode(MONITOREXIT));
      }
    }
    final LabelNode start = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final InsnList prologue = new InsnList();
    prologue.add((m.access & ACC_STATIC) != 0 ? new LdcInsnNode(Type.getObjectType(owner))
        : new VarInsnNode(ALOAD, 0));
    prologue.add(new InsnNode(DUP));
    prologue.add(new VarInsnNode(ASTORE, lock));
    prologue.add(new InsnNode(MONITORENTER));
    prologue.add(start);
    code.insert(prologue);
    code.add(end);
    code.add(handler);
    code.add(new VarInsnNode(ASTORE, thrown));
    code.add(new VarInsnNode(ALOAD, lock));
    code.add(new InsnNode(MONITOREXIT));
    code.add(new VarInsnNode(ALOAD, thrown));
    code.add(new InsnNode(ATHROW));
    // Last in the table: the body's own handlers are searched first, as they are inside the method's locking.
    copy.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    return copy;
  }
}
