package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Frame;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;

/**
 * What an {@link InsnRule} sees of one instruction: the method, the traced values on the operand stack (when the
 * method was analysed), the quasi-invariants, and a way to report findings.
 */
final class InsnContext {

  private final String className;
  private final MethodNode method;
  private final int[] lines;
  private final int index;
  private final Frame<Provenance> frame;
  private final boolean[] afterEscape;
  private final Targets targets;
  private final boolean reads;
  private final SiteFactory sites;
  private final Consumer<Finding> sink;

  InsnContext(final String className, final MethodNode method, final int[] lines, final int index,
      final Frame<Provenance> frame, final boolean[] afterEscape, final Targets targets, final boolean reads,
      final SiteFactory sites, final Consumer<Finding> sink) {
    this.className = className;
    this.method = method;
    this.lines = lines;
    this.index = index;
    this.frame = frame;
    this.afterEscape = afterEscape;
    this.targets = targets;
    this.reads = reads;
    this.sites = sites;
    this.sink = sink;
  }

  /** {@return the internal name of the class being scanned} */
  String className() {
    return className;
  }

  /** {@return the method being scanned} */
  MethodNode method() {
    return method;
  }

  /** {@return the quasi-invariants} */
  Targets targets() {
    return targets;
  }

  /** {@return whether reads are reported} */
  boolean reads() {
    return reads;
  }

  /**
   * {@return whether traced values are available; without them every value is unknown (the method needed no data
   * flow, or ASM rejected it)}
   */
  boolean hasFrame() {
    return frame != null;
  }

  /** {@return whether the instruction may run after {@code this} escaped, in a constructor} */
  boolean afterThisEscape() {
    return afterEscape != null && afterEscape[index];
  }

  /**
   * {@return the value {@code depth} entries below the top of the operand stack; unknown without a frame}
   *
   * @param depth 0 for the top
   */
  Provenance stack(final int depth) {
    return frame == null ? Provenance.UNKNOWN_1 : frame.getStack(frame.getStackSize() - 1 - depth);
  }

  /**
   * {@return the arguments of a call, the receiver first}
   *
   * @param desc the method descriptor
   * @param hasReceiver whether the call has a receiver
   */
  List<Provenance> arguments(final String desc, final boolean hasReceiver) {
    final int count = Type.getArgumentTypes(desc).length + (hasReceiver ? 1 : 0);
    final List<Provenance> args = new ArrayList<>(count);
    for (int k = count - 1; k >= 0; k--) {
      args.add(stack(k));
    }
    return args;
  }

  /**
   * Starts a finding at this instruction.
   *
   * @param target the quasi-invariant
   * @param kind the rule's kind
   * @return a builder; {@link FindingBuilder#report()} reports it
   */
  FindingBuilder finding(final Targets.Target target, final FindingKind kind) {
    return new FindingBuilder(target.id(), kind, sites.insnSite(method, lines, index), sink);
  }
}
