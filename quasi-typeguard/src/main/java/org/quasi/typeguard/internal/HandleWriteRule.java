package org.quasi.typeguard.internal;

import java.util.List;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.typeguard.FindingKind;

/**
 * Writes through a handle traced to a quasi-invariant: TG205 {@code var-handle-write} (a writing VarHandle access
 * mode) and TG208 {@code unsafe-put} (an Unsafe put, compare-and-set or get-and-set at the field's offset).
 *
 * @implNote Only handles and offsets traced to the field are reported here. One that cannot be traced (it came
 *     through a parameter, or another class) may concern any field, and would make every VarHandle and Unsafe write
 *     of a class path a finding; its creation is reported instead by {@link HandleAcquisitionRule}.
 */
final class HandleWriteRule extends InsnRule {

  @Override
  void matchMethodInsn(final InsnContext ctx, final MethodInsnNode insn) {
    if (HoleApis.isVarHandleWrite(insn)) {
      report(ctx, insn, ctx.arguments(insn.desc, true).get(0), Atom.HandleKind.VAR_HANDLE,
          FindingKind.VAR_HANDLE_WRITE, "writes the field through a VarHandle made for it");
    } else if (HoleApis.unsafeWriteOffsetArg(insn) >= 0) {
      final List<Provenance> args = ctx.arguments(insn.desc, true);
      report(ctx, insn, args.get(HoleApis.unsafeWriteOffsetArg(insn)), Atom.HandleKind.OFFSET,
          FindingKind.UNSAFE_PUT, "writes the field at an offset taken for it");
    }
  }

  private static void report(final InsnContext ctx, final MethodInsnNode insn, final Provenance handle,
      final Atom.HandleKind handleKind, final FindingKind kind, final String what) {
    final String api = HoleApis.simpleName(insn);
    for (final Targets.Target t : ctx.targets().all()) {
      if (ctx.targets().anyMatch(t, handle, handleKind)) {
        ctx.finding(t, kind).certainty(ctx.targets().judge(t, handle, handleKind)).detail(api)
            .message(api + " " + what).report();
      }
    }
  }
}
