package org.quasi.typeguard.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.quasi.typeguard.Finding;

/**
 * Drives the {@link InsnRule}s over one method. Rules that need to know where a value comes from read the frames of
 * a {@link ProvenanceInterpreter} analysis; the method is analysed only when it contains an instruction that needs
 * them. Also finds the handles a class keeps in its own fields, and where {@code this} escapes in a constructor.
 *
 * @implNote When ASM's analyzer rejects a method (broken or unusual bytecode), every traced value is taken as
 *     unknown: holes become "possible" findings and constructor writes count as after an escape. Nothing is dropped.
 */
final class MethodScanner {

  /** The instruction rules, in the order they report. */
  private static final List<InsnRule> RULES = List.of(new FieldWriteRule(), new FieldReadRule(),
      new ReflectionRule(), new HandleAcquisitionRule(), new HandleWriteRule(), new ArrayEscapeRule());

  private final String className;
  private final Targets targets;
  private final boolean reads;
  private final SiteFactory sites;
  private final Consumer<Finding> sink;
  private final ThisEscapes thisEscapes;

  MethodScanner(final String className, final Targets targets, final boolean reads, final SiteFactory sites,
      final Consumer<Finding> sink, final ThisEscapes thisEscapes) {
    this.thisEscapes = thisEscapes;
    this.className = className;
    this.targets = targets;
    this.reads = reads;
    this.sites = sites;
    this.sink = sink;
  }

  /**
   * {@return whether the method contains an instruction whose rule needs traced values}
   *
   * @param method the method
   */
  boolean needsFrames(final MethodNode method) {
    final boolean constructor = "<init>".equals(method.name);
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof MethodInsnNode m && (HoleApis.TRIGGER_OWNERS.contains(m.owner)
          || HoleApis.CLASS.equals(m.owner) && m.name.startsWith("get") && m.name.contains("Field"))) {
        return true; // a hole API, or a Field that may be kept in a holder field for a hole API elsewhere
      }
      if (insn instanceof FieldInsnNode f) {
        for (final Targets.Target t : targets.named(f.name)) {
          final boolean get = f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC;
          if (get && t.isArray() || constructor && f.getOpcode() == Opcodes.PUTFIELD && className.equals(t.owner())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Analyses a method's data flow.
   *
   * @param method the method
   * @param holders facts stored in fields of this class
   * @param finalFields the class's final fields
   * @return the analysis, or {@code null} if ASM rejected the method
   */
  FlowResult analyze(final MethodNode method, final Map<String, Set<Atom>> holders, final Set<String> finalFields) {
    final FlowAnalyzer analyzer = new FlowAnalyzer(
        new ProvenanceInterpreter(className, targets, holders, finalFields), method.instructions.size());
    try {
      return new FlowResult(analyzer, analyzer.analyze(className, method));
    } catch (AnalyzerException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The frames of an analysed method and its control-flow graph.
   *
   * @param analyzer the analyzer, for reachability
   * @param frames the frames; an entry is {@code null} for unreachable code
   */
  record FlowResult(FlowAnalyzer analyzer, Frame<Provenance>[] frames) {
  }

  /**
   * Collects what the method stores into fields of this class (to trace handles kept in holders).
   *
   * @param method the method
   * @param flow its analysis
   * @param holders where to add, by {@code name:desc}
   */
  void collectHolders(final MethodNode method, final FlowResult flow, final Map<String, Set<Atom>> holders) {
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      final Frame<Provenance> frame = flow.frames()[i];
      if (frame == null || !(insn instanceof FieldInsnNode f) || !className.equals(f.owner)
          || (f.getOpcode() != Opcodes.PUTFIELD && f.getOpcode() != Opcodes.PUTSTATIC)) {
        continue;
      }
      final Provenance value = top(frame, 0);
      final boolean handle = value.atoms().stream().anyMatch(a -> a instanceof Atom.Handle || a instanceof Atom.FieldObj
          || a instanceof Atom.FieldArray);
      if (handle) {
        holders.computeIfAbsent(f.name + ":" + f.desc, k -> new java.util.HashSet<>()).addAll(value.atoms());
      }
    }
  }

  /**
   * Applies the instruction rules and reports their findings.
   *
   * @param method the method
   * @param flow its analysis, or {@code null} if it was not analysed or the analysis failed
   */
  void scan(final MethodNode method, final FlowResult flow) {
    final int[] lines = SiteFactory.lines(method);
    final Frame<Provenance>[] frames = flow == null ? null : flow.frames();
    final boolean[] afterEscape = flow == null ? null : afterThisEscape(method, flow);
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      if (insn.getOpcode() < 0) {
        continue;
      }
      final Frame<Provenance> frame = frames == null ? null : frames[i];
      if (frames != null && frame == null) {
        continue; // unreachable code cannot write anything
      }
      final InsnContext ctx = new InsnContext(className, method, lines, i, frame, afterEscape, targets, reads, sites,
          sink);
      if (insn instanceof FieldInsnNode f) {
        RULES.forEach(r -> r.matchFieldInsn(ctx, f));
      } else if (insn instanceof MethodInsnNode m) {
        RULES.forEach(r -> r.matchMethodInsn(ctx, m));
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        constant(ctx, indy.bsm);
        for (final Object arg : indy.bsmArgs) {
          constant(ctx, arg);
        }
        RULES.forEach(r -> r.matchInvokeDynamicInsn(ctx, indy));
      } else if (insn instanceof LdcInsnNode ldc) {
        constant(ctx, ldc.cst);
      } else {
        final int opcode = insn.getOpcode();
        RULES.forEach(r -> r.matchInsn(ctx, opcode));
      }
    }
  }

  /** Hands a constant, and the constants nested in a dynamic constant, to every rule. */
  private static void constant(final InsnContext ctx, final Object constant) {
    RULES.forEach(r -> r.matchConstant(ctx, constant));
    if (constant instanceof ConstantDynamic cd) {
      constant(ctx, cd.getBootstrapMethod());
      for (int k = 0; k < cd.getBootstrapMethodArgumentCount(); k++) {
        constant(ctx, cd.getBootstrapMethodArgument(k));
      }
    }
  }

  private static Provenance top(final Frame<Provenance> frame, final int depth) {
    return frame.getStack(frame.getStackSize() - 1 - depth);
  }

  /** Marks the instructions of a constructor that can run after {@code this} escaped ({@link ThisEscapes}). */
  private boolean[] afterThisEscape(final MethodNode method, final FlowResult flow) {
    if (!"<init>".equals(method.name)) {
      return null;
    }
    final List<Integer> escapes = thisEscapes.escapes(method, flow.frames());
    return escapes.isEmpty() ? null : flow.analyzer().reachableAfter(escapes);
  }
}
