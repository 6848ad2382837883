package org.quasi.typeguard.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FindingKind;

/**
 * Quasi-invariant arrays, the Java analogue of the paper's {@code &current->uid}: TG301 {@code array-escape} (the
 * reference is returned, stored into another field or an array, passed to a method of another class, or captured by
 * an {@code invokedynamic}), TG302/TG303 {@code array-element-write-*} (an element store or
 * {@code System.arraycopy} into it, in the declaring class or elsewhere). Values are traced by the data flow of the
 * method; without it nothing here applies (a method that loads a quasi-invariant array is always analysed).
 *
 * @implNote Passing the array to a method of the declaring class is not an escape, and element stores through a
 *     parameter there are not followed: the declaring class guards its own code. String concatenation
 *     ({@code StringConcatFactory}) only reads the array's identity and is not an escape.
 */
final class ArrayEscapeRule extends InsnRule {

  @Override
  void matchFieldInsn(final InsnContext ctx, final FieldInsnNode insn) {
    if (!ctx.hasFrame() || insn.getOpcode() != Opcodes.PUTFIELD && insn.getOpcode() != Opcodes.PUTSTATIC) {
      return;
    }
    for (final Atom a : ctx.stack(0).atoms()) {
      if (a instanceof Atom.TargetArray ta) {
        final Targets.Target t = ctx.targets().all().get(ta.target());
        if (ctx.targets().matchRef(t, insn.owner, insn.name, insn.desc) == null) {
          ctx.finding(t, FindingKind.ARRAY_ESCAPE).detail("stored into field")
              .message("the array is stored into " + insn.owner.replace('/', '.') + "." + insn.name).report();
        }
      }
    }
  }

  @Override
  void matchMethodInsn(final InsnContext ctx, final MethodInsnNode insn) {
    if (!ctx.hasFrame()) {
      return;
    }
    final List<Provenance> args = ctx.arguments(insn.desc, insn.getOpcode() != Opcodes.INVOKESTATIC);
    for (int j = 0; j < args.size(); j++) {
      for (final Atom a : args.get(j).atoms()) {
        if (!(a instanceof Atom.TargetArray ta)) {
          continue;
        }
        final Targets.Target t = ctx.targets().all().get(ta.target());
        if (insn.owner.equals(t.owner()) || HoleApis.readsArrayOnly(insn, j)) {
          continue;
        }
        final String callee = insn.owner.replace('/', '.') + "." + insn.name;
        if ("java/lang/System".equals(insn.owner) && "arraycopy".equals(insn.name)) {
          ctx.finding(t, elementWrite(ctx, t)).detail("System.arraycopy").message("copies into the array").report();
        } else {
          ctx.finding(t, FindingKind.ARRAY_ESCAPE).detail("passed to " + callee)
              .message("the array is passed to " + callee + insn.desc + ", outside the declaring class").report();
        }
      }
    }
  }

  @Override
  void matchInvokeDynamicInsn(final InsnContext ctx, final InvokeDynamicInsnNode insn) {
    if (!ctx.hasFrame() || "java/lang/invoke/StringConcatFactory".equals(insn.bsm.getOwner())) {
      return;
    }
    for (final Provenance p : ctx.arguments(insn.desc, false)) {
      for (final Atom a : p.atoms()) {
        if (a instanceof Atom.TargetArray ta) {
          ctx.finding(ctx.targets().all().get(ta.target()), FindingKind.ARRAY_ESCAPE)
              .detail("captured by invokedynamic")
              .message("the array is captured by " + insn.name + insn.desc + " (a lambda or another call site)")
              .report();
        }
      }
    }
  }

  @Override
  void matchInsn(final InsnContext ctx, final int opcode) {
    if (!ctx.hasFrame()) {
      return;
    }
    if (opcode == Opcodes.ARETURN) {
      escape(ctx, ctx.stack(0), "returned", "the array is returned");
    } else if (opcode == Opcodes.AASTORE) {
      escape(ctx, ctx.stack(0), "stored into an array", "the array is stored into another array");
    }
    if (opcode >= Opcodes.IASTORE && opcode <= Opcodes.SASTORE) {
      for (final Atom a : ctx.stack(2).atoms()) {
        if (a instanceof Atom.TargetArray ta) {
          final Targets.Target t = ctx.targets().all().get(ta.target());
          ctx.finding(t, elementWrite(ctx, t)).certainty(Certainty.DEFINITE).detail("array element store")
              .message("writes an element of the array").report();
        }
      }
    }
  }

  private static void escape(final InsnContext ctx, final Provenance value, final String detail,
      final String message) {
    for (final Atom a : value.atoms()) {
      if (a instanceof Atom.TargetArray ta) {
        ctx.finding(ctx.targets().all().get(ta.target()), FindingKind.ARRAY_ESCAPE).detail(detail).message(message)
            .report();
      }
    }
  }

  private static FindingKind elementWrite(final InsnContext ctx, final Targets.Target t) {
    return ctx.className().equals(t.owner())
        ? FindingKind.ARRAY_ELEMENT_WRITE_DECLARING_CLASS : FindingKind.ARRAY_ELEMENT_WRITE_ELSEWHERE;
  }
}
