package org.quasi.typeguard.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FindingKind;

/** With reads on: {@code getfield}/{@code getstatic} and getter method handle constants, TG900 {@code read}. */
final class FieldReadRule extends InsnRule {

  @Override
  void matchFieldInsn(final InsnContext ctx, final FieldInsnNode insn) {
    final int op = insn.getOpcode();
    if (!ctx.reads() || op != Opcodes.GETFIELD && op != Opcodes.GETSTATIC) {
      return;
    }
    final String name = op == Opcodes.GETFIELD ? "getfield" : "getstatic";
    for (final Targets.Target t : ctx.targets().named(insn.name)) {
      final Certainty c = ctx.targets().matchRef(t, insn.owner, insn.name, insn.desc);
      if (c != null) {
        ctx.finding(t, FindingKind.READ).certainty(c).detail(name).message(FindingKind.READ.description() + " ("
            + name + " " + insn.owner.replace('/', '.') + "." + insn.name + ")").report();
      }
    }
  }

  @Override
  void matchConstant(final InsnContext ctx, final Object constant) {
    if (!ctx.reads() || !(constant instanceof Handle h)
        || h.getTag() != Opcodes.H_GETFIELD && h.getTag() != Opcodes.H_GETSTATIC) {
      return;
    }
    final String detail = "MethodHandle constant " + (h.getTag() == Opcodes.H_GETFIELD ? "REF_getField" : "REF_getStatic");
    for (final Targets.Target t : ctx.targets().named(h.getName())) {
      final Certainty c = ctx.targets().matchRef(t, h.getOwner(), h.getName(), h.getDesc());
      if (c != null) {
        ctx.finding(t, FindingKind.READ).certainty(c).detail(detail)
            .message(detail + " " + h.getOwner().replace('/', '.') + "." + h.getName()).report();
      }
    }
  }
}
