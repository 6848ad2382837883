package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.tree.analysis.Analyzer;

/**
 * An ASM analyzer that also records the control-flow graph, so the scanner can ask which instructions can run after
 * another one (for "{@code this} escaped earlier in the constructor").
 */
final class FlowAnalyzer extends Analyzer<Provenance> {

  private final List<List<Integer>> successors;

  /**
   * Creates the analyzer.
   *
   * @param interpreter the interpreter
   * @param size the method's instruction count
   */
  FlowAnalyzer(final ProvenanceInterpreter interpreter, final int size) {
    super(interpreter);
    this.successors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      successors.add(new ArrayList<>(2));
    }
  }

  @Override
  protected void newControlFlowEdge(final int insnIndex, final int successorIndex) {
    successors.get(insnIndex).add(successorIndex);
  }

  @Override
  protected boolean newControlFlowExceptionEdge(final int insnIndex, final int successorIndex) {
    successors.get(insnIndex).add(successorIndex);
    return true;
  }

  /**
   * Marks every instruction that can run after one of the given ones (not counting the given ones themselves unless
   * a loop leads back to them).
   *
   * @param sources instruction indexes
   * @return a mark per instruction
   */
  boolean[] reachableAfter(final List<Integer> sources) {
    final boolean[] reached = new boolean[successors.size()];
    // A plain int stack: this runs for every constructor that writes a quasi-invariant.
    final int[] work = new int[successors.size() + 1];
    int top = 0;
    for (final int s : sources) {
      for (final int next : successors.get(s)) {
        if (!reached[next]) {
          reached[next] = true;
          work[top++] = next;
        }
      }
    }
    while (top > 0) {
      final int i = work[--top];
      for (final int next : successors.get(i)) {
        if (!reached[next]) {
          reached[next] = true;
          work[top++] = next;
        }
      }
    }
    return reached;
  }
}
