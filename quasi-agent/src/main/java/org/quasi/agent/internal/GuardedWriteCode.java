package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The instruction sequences of guarded writes, as documented in {@code org.quasi.runtime.Guards}: instance fields of
 * woven classes (one write, or a batch of writes to one object), static fields of woven classes, and fields of
 * classes that cannot be woven (side table). In strict mode each fast path ends with a full fence and a second test,
 * which calls {@code Guards.racedWrite} when a QUID or flag appeared meanwhile.
 *
 * <p>Locals: {@code base} holds the receiver, {@code base + 1} the QUID, {@code base + 2} on the values; the caller
 * reserves {@link #localsFor} slots above {@code base}.
 */
final class GuardedWriteCode {

  private static final String QUID_DESC = "L" + WriteSiteRewriter.QUID + ";";
  private static final String BEFORE = "(Ljava/lang/Object;" + QUID_DESC + "Ljava/lang/Class;Ljava/lang/String;)V";
  private static final String AFTER = "(" + QUID_DESC + "Ljava/lang/Class;Ljava/lang/String;)V";
  private static final String FLAG_DESC = WriteSiteRewriter.GUARD_FLAG_DESC;

  /** One store of a batch (or a single write): the field reference, its declaring class, where its value waits. */
  record Store(FieldInsnNode field, String declaring, int valueSlot) {
  }

  private final boolean strict;

  GuardedWriteCode(final boolean strict) {
    this.strict = strict;
  }

  /** Local slots a sequence needs above {@code base} for values of total size {@code valueSize}. */
  static int localsFor(final int valueSize) {
    return 2 + Math.max(2, valueSize);
  }

  /**
   * A write to an instance field of a woven class; the QUID field is reached through the field reference's own
   * owner. Stack before: receiver, value; after: nothing.
   */
  InsnList instance(final FieldInsnNode f, final String declaring, final int base) {
    final InsnList s = new InsnList();
    final int valueSlot = base + 2;
    s.add(new VarInsnNode(Type.getType(f.desc).getOpcode(ISTORE), valueSlot));
    s.add(new VarInsnNode(ASTORE, base));
    s.add(batch(base, f.owner, List.of(new Store(f, declaring, valueSlot)), base));
    return s;
  }

  /**
   * Writes to one object, whose reference is in local {@code receiver} and whose values are already in their slots:
   * one test of the QUID, then the plain stores in order; or, when the QUID exists, each store's slow path in order.
   * Stack before and after: unchanged.
   */
  InsnList batch(final int receiver, final String quidOwner, final List<Store> stores, final int base) {
    final int quid = base + 1;
    final InsnList s = new InsnList();
    final LabelNode slow = new LabelNode();
    final LabelNode end = new LabelNode();
    loadQuid(s, receiver, quidOwner, quid);
    s.add(new JumpInsnNode(IFNONNULL, slow));
    for (final Store st : stores) {
      store(s, receiver, st);
    }
    if (strict) {
      fence(s);
      loadQuid(s, receiver, quidOwner, quid);
      s.add(new JumpInsnNode(IFNULL, end));
      for (final Store st : stores) {
        guardsCall(s, receiver, quid, st, "racedWrite", BEFORE);
      }
    }
    s.add(new JumpInsnNode(GOTO, end));
    s.add(slow);
    for (final Store st : stores) {
      slowStore(s, receiver, quid, st);
    }
    s.add(end);
    return s;
  }

  /**
   * A write to an instance field declared by a class that cannot be woven: the side-table flag of the field
   * reference's class (a constant of the writing class), then the object's QUID wherever it is, then the slow path.
   * Stack before: receiver, value; after: nothing.
   */
  InsnList sideTable(final FieldInsnNode f, final String declaring, final String writerClass, final String flagField,
      final int base) {
    final int valueSlot = base + 2;
    final int quid = base + 1;
    final Store st = new Store(f, declaring, valueSlot);
    final InsnList s = new InsnList();
    final LabelNode fast = new LabelNode();
    final LabelNode slow = new LabelNode();
    final LabelNode lookUp = new LabelNode();
    final LabelNode end = new LabelNode();
    s.add(new VarInsnNode(Type.getType(f.desc).getOpcode(ISTORE), valueSlot));
    s.add(new VarInsnNode(ASTORE, base));
    armed(s, writerClass, flagField);
    s.add(new JumpInsnNode(IFNE, lookUp));
    s.add(fast);
    store(s, base, st);
    if (strict) {
      fence(s);
      armed(s, writerClass, flagField);
      s.add(new JumpInsnNode(IFEQ, end));
      existingQuid(s, base, quid);
      s.add(new JumpInsnNode(IFNULL, end));
      guardsCall(s, base, quid, st, "racedWrite", BEFORE);
    }
    s.add(new JumpInsnNode(GOTO, end));
    s.add(lookUp);
    existingQuid(s, base, quid);
    s.add(new JumpInsnNode(IFNULL, fast));
    s.add(slow);
    slowStore(s, base, quid, st);
    s.add(end);
    return s;
  }

  /**
   * A write to a static quasi-invariant field whose flag is the static field {@code flagOwner.flagField}. Stack
   * before: value; after: nothing.
   */
  InsnList staticField(final FieldInsnNode f, final String flagOwner, final String flagField, final int base) {
    final Type value = Type.getType(f.desc);
    final InsnList s = new InsnList();
    final LabelNode slow = new LabelNode();
    final LabelNode end = new LabelNode();
    armed(s, flagOwner, flagField);
    s.add(new JumpInsnNode(IFNE, slow));
    s.add(new FieldInsnNode(PUTSTATIC, f.owner, f.name, f.desc));
    if (strict) {
      fence(s);
      armed(s, flagOwner, flagField);
      s.add(new JumpInsnNode(IFEQ, end));
      s.add(new FieldInsnNode(GETSTATIC, flagOwner, flagField, FLAG_DESC));
      s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "racedStaticWrite", "(" + FLAG_DESC + ")V",
          false));
    }
    s.add(new JumpInsnNode(GOTO, end));
    s.add(slow);
    s.add(new VarInsnNode(value.getOpcode(ISTORE), base));
    s.add(new FieldInsnNode(GETSTATIC, flagOwner, flagField, FLAG_DESC));
    s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "beforeStaticWrite", "(" + FLAG_DESC + ")V",
        false));
    s.add(new VarInsnNode(value.getOpcode(ILOAD), base));
    s.add(new FieldInsnNode(PUTSTATIC, f.owner, f.name, f.desc));
    s.add(new FieldInsnNode(GETSTATIC, flagOwner, flagField, FLAG_DESC));
    s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "afterStaticWrite", "(" + FLAG_DESC + ")V",
        false));
    s.add(end);
    return s;
  }

  // -----------------------------------------------------------------------------------------------------------------

  private static void loadQuid(final InsnList s, final int receiver, final String quidOwner, final int quid) {
    s.add(new VarInsnNode(ALOAD, receiver));
    s.add(new FieldInsnNode(GETFIELD, quidOwner, WriteSiteRewriter.QUID_FIELD, QUID_DESC));
    s.add(new VarInsnNode(ASTORE, quid));
    s.add(new VarInsnNode(ALOAD, quid));
  }

  private static void existingQuid(final InsnList s, final int receiver, final int quid) {
    s.add(new VarInsnNode(ALOAD, receiver));
    s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "existingQuid",
        "(Ljava/lang/Object;)" + QUID_DESC, false));
    s.add(new VarInsnNode(ASTORE, quid));
    s.add(new VarInsnNode(ALOAD, quid));
  }

  private static void armed(final InsnList s, final String flagOwner, final String flagField) {
    s.add(new FieldInsnNode(GETSTATIC, flagOwner, flagField, FLAG_DESC));
    s.add(new MethodInsnNode(INVOKEVIRTUAL, WriteSiteRewriter.GUARD_FLAG, "armed", "()Z", false));
  }

  /** The StoreLoad fence of strict mode: an intrinsic of the JIT (a locked instruction on x86). */
  private static void fence(final InsnList s) {
    s.add(new MethodInsnNode(INVOKESTATIC, "java/lang/invoke/VarHandle", "fullFence", "()V", false));
  }

  private static void store(final InsnList s, final int receiver, final Store st) {
    final FieldInsnNode f = st.field();
    s.add(new VarInsnNode(ALOAD, receiver));
    s.add(new VarInsnNode(Type.getType(f.desc).getOpcode(ILOAD), st.valueSlot()));
    s.add(new FieldInsnNode(PUTFIELD, f.owner, f.name, f.desc));
  }

  private static void slowStore(final InsnList s, final int receiver, final int quid, final Store st) {
    guardsCall(s, receiver, quid, st, "beforeWrite", BEFORE);
    store(s, receiver, st);
    s.add(new VarInsnNode(ALOAD, quid));
    s.add(new LdcInsnNode(Type.getObjectType(st.declaring())));
    s.add(new LdcInsnNode(st.field().name));
    s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "afterWrite", AFTER, false));
  }

  private static void guardsCall(final InsnList s, final int receiver, final int quid, final Store st,
      final String method, final String desc) {
    s.add(new VarInsnNode(ALOAD, receiver));
    s.add(new VarInsnNode(ALOAD, quid));
    s.add(new LdcInsnNode(Type.getObjectType(st.declaring())));
    s.add(new LdcInsnNode(st.field().name));
    s.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, method, desc, false));
  }
}
