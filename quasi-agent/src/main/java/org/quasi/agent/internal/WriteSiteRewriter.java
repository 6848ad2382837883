package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Rewrites one method's writes to quasi-invariant fields into guarded writes (the sequences documented in
 * {@code org.quasi.runtime.Guards}).
 *
 * <p>The receiver and value are spilled into fresh locals above the method's own ({@code maxLocals}); every site
 * reuses the same fresh slots, since none is live across sites. Stack map frames are recomputed by the class writer.
 *
 * <p>The QUID field and the static flags are reached through the field reference's own owner, as the original write
 * was: the JVM resolves them to the class that declares them (the QUID holder, the field's declaring class), so the
 * woven site needs no access the original did not have; only the {@code ldc} of the declaring class (the key of the
 * field's guard in the QUID) does, which differs when a public field of a package-private class is written from
 * another package through a public subclass (a rare shape: the class fails to link with an IllegalAccessError).
 *
 * <p>In a constructor, writes before the call to the super or this constructor (javac's {@code this$0} and captured
 * values, or Java 22's statements before {@code super(...)}) act on an uninitialized {@code this}, whose QUID cannot
 * be read; they stay plain. Such an object cannot have a QUID yet (no dependent can have seen it), so nothing is lost.
 */
final class WriteSiteRewriter {

  static final String GUARDS = "org/quasi/runtime/Guards";
  static final String QUID = "org/quasi/runtime/Quid";
  static final String GUARD_FLAG = "org/quasi/runtime/GuardFlag";
  static final String QUID_FIELD = "$quasi$quid";
  static final String FLAG_PREFIX = "$quasi$flag$";

  private final Hierarchy hierarchy;

  WriteSiteRewriter(final Hierarchy hierarchy) {
    this.hierarchy = hierarchy;
  }

  /** Rewrites the guarded writes of {@code m}; returns how many sites were rewritten. */
  int rewrite(final MethodNode m) {
    if (m.instructions.size() == 0) {
      return 0;
    }
    final boolean constructor = "<init>".equals(m.name);
    final int base = m.maxLocals;
    int rewritten = 0;
    int pendingNews = 0;
    boolean initialized = !constructor;
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
        final Hierarchy.Resolved r = hierarchy.resolveField(f.owner, f.name);
        if (r != null && hierarchy.isQuasiInvariant(r.declaring(), r.field().name())) {
          if (f.getOpcode() == PUTFIELD && !r.field().isStatic()) {
            m.instructions.insertBefore(f, instanceSequence(f, r, base));
            m.instructions.remove(f);
            rewritten++;
          } else if (f.getOpcode() == PUTSTATIC && r.field().isStatic()) {
            m.instructions.insertBefore(f, staticSequence(f, base));
            m.instructions.remove(f);
            rewritten++;
          }
        }
      }
      insn = next;
    }
    if (rewritten > 0) {
      m.maxLocals = base + 4;
    }
    return rewritten;
  }

  /** Stack before: receiver, value. Locals: base = receiver, base+1 = QUID, base+2.. = value. */
  private InsnList instanceSequence(final FieldInsnNode f, final Hierarchy.Resolved r, final int base) {
    final Type value = Type.getType(f.desc);
    final int valueSlot = base + 2;
    final String declaring = r.declaring().name();
    final InsnList s = new InsnList();
    final LabelNode slow = new LabelNode();
    final LabelNode end = new LabelNode();
    s.add(new VarInsnNode(value.getOpcode(ISTORE), valueSlot));
    s.add(new VarInsnNode(ASTORE, base));
    s.add(new VarInsnNode(ALOAD, base));
    s.add(new FieldInsnNode(GETFIELD, f.owner, QUID_FIELD, "L" + QUID + ";"));
    s.add(new VarInsnNode(ASTORE, base + 1));
    s.add(new VarInsnNode(ALOAD, base + 1));
    s.add(new JumpInsnNode(IFNONNULL, slow));
    s.add(new VarInsnNode(ALOAD, base));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), valueSlot));
    s.add(new FieldInsnNode(PUTFIELD, f.owner, f.name, f.desc));
    s.add(new JumpInsnNode(GOTO, end));
    s.add(slow);
    s.add(new VarInsnNode(ALOAD, base));
    s.add(new VarInsnNode(ALOAD, base + 1));
    s.add(new LdcInsnNode(Type.getObjectType(declaring)));
    s.add(new LdcInsnNode(f.name));
    s.add(new MethodInsnNode(INVOKESTATIC, GUARDS, "beforeWrite",
        "(Ljava/lang/Object;L" + QUID + ";Ljava/lang/Class;Ljava/lang/String;)V", false));
    s.add(new VarInsnNode(ALOAD, base));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), valueSlot));
    s.add(new FieldInsnNode(PUTFIELD, f.owner, f.name, f.desc));
    s.add(new VarInsnNode(ALOAD, base + 1));
    s.add(new LdcInsnNode(Type.getObjectType(declaring)));
    s.add(new LdcInsnNode(f.name));
    s.add(new MethodInsnNode(INVOKESTATIC, GUARDS, "afterWrite",
        "(L" + QUID + ";Ljava/lang/Class;Ljava/lang/String;)V", false));
    s.add(end);
    return s;
  }

  /** Stack before: value. Local base.. = value. */
  private static InsnList staticSequence(final FieldInsnNode f, final int base) {
    final Type value = Type.getType(f.desc);
    final String flag = FLAG_PREFIX + f.name;
    final String flagDesc = "L" + GUARD_FLAG + ";";
    final InsnList s = new InsnList();
    final LabelNode slow = new LabelNode();
    final LabelNode end = new LabelNode();
    s.add(new FieldInsnNode(GETSTATIC, f.owner, flag, flagDesc));
    s.add(new MethodInsnNode(INVOKEVIRTUAL, GUARD_FLAG, "armed", "()Z", false));
    s.add(new JumpInsnNode(IFNE, slow));
    s.add(new FieldInsnNode(PUTSTATIC, f.owner, f.name, f.desc));
    s.add(new JumpInsnNode(GOTO, end));
    s.add(slow);
    s.add(new VarInsnNode(value.getOpcode(ISTORE), base));
    s.add(new FieldInsnNode(GETSTATIC, f.owner, flag, flagDesc));
    s.add(new MethodInsnNode(INVOKESTATIC, GUARDS, "beforeStaticWrite", "(" + flagDesc + ")V", false));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), base));
    s.add(new FieldInsnNode(PUTSTATIC, f.owner, f.name, f.desc));
    s.add(new FieldInsnNode(GETSTATIC, f.owner, flag, flagDesc));
    s.add(new MethodInsnNode(INVOKESTATIC, GUARDS, "afterStaticWrite", "(" + flagDesc + ")V", false));
    s.add(end);
    return s;
  }
}
