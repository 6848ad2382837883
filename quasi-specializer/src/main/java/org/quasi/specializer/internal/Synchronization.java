package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.function.Supplier;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * The locking of a {@code synchronized} entry method, kept exactly around its residual code: the residual method
 * enters the monitor of the same object (the receiver, known or the first residual parameter; the declaring class for
 * a static method) first, exits it before every return, and exits it and rethrows from a handler covering the whole
 * body, as the JVM does for a synchronized method (JVMS 2.11.10). The lock is never folded away: another thread may
 * hold it.
 *
 * @implNote Only the entry method: a synchronized callee is not inlined but called, which keeps its locking too.
 *     {@code monitorenter}/{@code monitorexit} inside a body (synchronized blocks) come with exception handlers and
 *     are still declined.
 */
final class Synchronization {
  private Synchronization() {
  }

  /**
   * Wraps {@code code}, the finished residual method, in the monitor of the object {@code lock} loads, and returns the
   * handler to add to the method's exception table.
   */
  static TryCatchBlockNode wrap(final InsnList code, final Supplier<AbstractInsnNode> lock) {
    for (final AbstractInsnNode insn : code.toArray()) {
      final int op = insn.getOpcode();
      if (op >= IRETURN && op <= RETURN) {
        code.insertBefore(insn, lock.get());
        code.insertBefore(insn, new InsnNode(MONITOREXIT));
      }
    }
    final LabelNode start = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final InsnList prefix = new InsnList();
    prefix.add(lock.get());
    prefix.add(new InsnNode(MONITORENTER));
    prefix.add(start);
    code.insert(prefix);
    code.add(end);
    // The exception is on the stack: exit the monitor under it and rethrow it.
    code.add(handler);
    code.add(lock.get());
    code.add(new InsnNode(MONITOREXIT));
    code.add(new InsnNode(ATHROW));
    return new TryCatchBlockNode(start, end, handler, null);
  }
}
