package org.quasi.typeguard.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodInsnNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.FindingKind;

/**
 * Reflection: TG201 {@code reflection-set} ({@code Field.set*}) and TG202 {@code set-accessible}
 * ({@code setAccessible}, {@code trySetAccessible}, and the static array form), definite when the {@code Field} is
 * traced to the quasi-invariant, possible when it may be it.
 */
final class ReflectionRule extends InsnRule {

  @Override
  void matchMethodInsn(final InsnContext ctx, final MethodInsnNode insn) {
    final List<Provenance> args = ctx.arguments(insn.desc, insn.getOpcode() != Opcodes.INVOKESTATIC);
    final String api = HoleApis.simpleName(insn);
    if (HoleApis.isFieldSet(insn)) {
      reportAll(ctx, args.get(0), FindingKind.REFLECTION_SET, api, "writes the field through reflection");
    } else if (HoleApis.isSetAccessible(insn)) {
      reportAll(ctx, args.get(0), FindingKind.SET_ACCESSIBLE, api, "suppresses access checks on the field");
    } else if (HoleApis.isSetAccessibleArray(insn)) {
      reportAll(ctx, new Provenance(1, HoleApis.elementsOf(args.get(0))), FindingKind.SET_ACCESSIBLE, api,
          "suppresses access checks on an array of members that may hold the field");
    }
  }

  private static void reportAll(final InsnContext ctx, final Provenance field, final FindingKind kind,
      final String api, final String what) {
    for (final Targets.Target t : ctx.targets().all()) {
      final Certainty c = ctx.targets().judge(t, field, null);
      if (c != null) {
        ctx.finding(t, kind).certainty(c).detail(api).message(HoleApis.message(api, what, c)).report();
      }
    }
  }
}
