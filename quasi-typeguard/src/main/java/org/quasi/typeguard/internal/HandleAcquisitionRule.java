package org.quasi.typeguard.internal;

import java.util.Set;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FindingKind;

/**
 * The places that make a way to write a field without a {@code putfield}: TG203 {@code method-handle-setter}
 * ({@code findSetter}, {@code findStaticSetter}, {@code unreflectSetter}, and {@code REF_putField}/{@code
 * REF_putStatic} constants), TG204 {@code var-handle} ({@code findVarHandle}, {@code findStaticVarHandle},
 * {@code unreflectVarHandle}, and {@code ConstantBootstraps.fieldVarHandle} dynamic constants), TG206
 * {@code field-updater} ({@code Atomic*FieldUpdater.newUpdater}) and TG207 {@code unsafe-offset}
 * ({@code objectFieldOffset}, {@code staticFieldOffset}, {@code staticFieldBase}).
 */
final class HandleAcquisitionRule extends InsnRule {

  @Override
  void matchMethodInsn(final InsnContext ctx, final MethodInsnNode insn) {
    final FindingKind kind = HoleApis.acquisitionKind(insn);
    if (kind == null) {
      return;
    }
    final Set<Atom> facts = HoleApis.result(insn, ctx.arguments(insn.desc, insn.getOpcode() != Opcodes.INVOKESTATIC));
    if (facts != null) {
      reportAll(ctx, new Provenance(1, facts), kind, HoleApis.simpleName(insn), "makes a way to write the field");
    }
  }

  /**
   * Field handles in the constant pool. javac emits neither kind for fields; other compilers and bytecode
   * generators may, and then a field is written with no lookup call to find.
   */
  @Override
  void matchConstant(final InsnContext ctx, final Object constant) {
    if (constant instanceof Handle h && (h.getTag() == Opcodes.H_PUTFIELD || h.getTag() == Opcodes.H_PUTSTATIC)) {
      final String detail = "MethodHandle constant "
          + (h.getTag() == Opcodes.H_PUTFIELD ? "REF_putField" : "REF_putStatic");
      for (final Targets.Target t : ctx.targets().named(h.getName())) {
        final Certainty c = ctx.targets().matchRef(t, h.getOwner(), h.getName(), h.getDesc());
        if (c != null) {
          ctx.finding(t, FindingKind.METHOD_HANDLE_SETTER).certainty(c).detail(detail)
              .message(detail + " " + h.getOwner().replace('/', '.') + "." + h.getName()).report();
        }
      }
    } else if (constant instanceof ConstantDynamic cd) {
      final Handle bsm = cd.getBootstrapMethod();
      if ("java/lang/invoke/ConstantBootstraps".equals(bsm.getOwner())
          && ("fieldVarHandle".equals(bsm.getName()) || "staticFieldVarHandle".equals(bsm.getName()))
          && cd.getBootstrapMethodArgumentCount() > 0 && cd.getBootstrapMethodArgument(0) instanceof Type owner) {
        final Atom.FieldObj field = new Atom.FieldObj(new Atom.ClassConst(owner.getInternalName()),
            new Atom.StringConst(cd.getName()), Atom.Lookup.RESOLVED);
        reportAll(ctx, Provenance.of(new Atom.Handle(Atom.HandleKind.VAR_HANDLE, field)), FindingKind.VAR_HANDLE,
            "ConstantBootstraps." + bsm.getName(), "(a dynamic constant) makes a VarHandle");
      }
    }
  }

  private static void reportAll(final InsnContext ctx, final Provenance handles, final FindingKind kind,
      final String api, final String what) {
    final Atom.HandleKind handleKind = switch (kind) {
      case METHOD_HANDLE_SETTER -> Atom.HandleKind.SETTER;
      case VAR_HANDLE -> Atom.HandleKind.VAR_HANDLE;
      case FIELD_UPDATER -> Atom.HandleKind.UPDATER;
      default -> Atom.HandleKind.OFFSET;
    };
    for (final Targets.Target t : ctx.targets().all()) {
      final Certainty c = ctx.targets().judge(t, handles, handleKind);
      if (c != null) {
        ctx.finding(t, kind).certainty(c).detail(api).message(HoleApis.message(api, what, c)).report();
      }
    }
  }
}
