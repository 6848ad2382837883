package org.quasi.typeguard.internal;

import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FindingKind;

/**
 * {@code putfield}/{@code putstatic} that resolve to a quasi-invariant (JVMS 5.4.3.2), classified: TG101
 * {@code write-constructor-this}, TG102 {@code write-constructor-this-after-escape}, TG103
 * {@code write-declaring-class}, TG104 {@code write-elsewhere}.
 */
final class FieldWriteRule extends InsnRule {

  @Override
  void matchFieldInsn(final InsnContext ctx, final FieldInsnNode insn) {
    final int op = insn.getOpcode();
    if (op != Opcodes.PUTFIELD && op != Opcodes.PUTSTATIC) {
      return;
    }
    final String name = op == Opcodes.PUTFIELD ? "putfield" : "putstatic";
    for (final Targets.Target t : ctx.targets().named(insn.name)) {
      final Certainty c = ctx.targets().matchRef(t, insn.owner, insn.name, insn.desc);
      if (c != null) {
        final FindingKind kind = classify(ctx, t, op);
        ctx.finding(t, kind).certainty(c).detail(name).message(kind.description() + " (" + name + " "
            + insn.owner.replace('/', '.') + "." + insn.name + ")").report();
      }
    }
  }

  private static FindingKind classify(final InsnContext ctx, final Targets.Target t, final int op) {
    if (!ctx.className().equals(t.owner())) {
      return FindingKind.WRITE_ELSEWHERE;
    }
    if (op != Opcodes.PUTFIELD || !"<init>".equals(ctx.method().name)) {
      return FindingKind.WRITE_DECLARING_CLASS;
    }
    if (!ctx.hasFrame()) {
      // No data flow (the analyzer rejected the method): the target may be 'this' after an escape.
      return FindingKind.WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE;
    }
    if (!ctx.stack(1).atoms().equals(Set.of(Atom.THIS))) {
      return FindingKind.WRITE_DECLARING_CLASS; // a constructor writing another object
    }
    return ctx.afterThisEscape() ? FindingKind.WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE : FindingKind.WRITE_CONSTRUCTOR_THIS;
  }
}
