package org.quasi.specializer;

/**
 * What one specialization did, in numbers.
 *
 * @param instructionsBefore   real instructions of the entry method (inlined callees not counted)
 * @param instructionsAfter    real instructions of the residual methods (the entry's and the callees' specialized
 *                             apart)
 * @param callsInlined         call sites whose target was specialized in place
 * @param callsSpecialized     call sites calling a separate specialized residual method (beyond the depth budget)
 * @param callsFolded          calls computed at specialization time (pure JDK methods on known arguments)
 * @param callsResidual        calls left in the residual code
 * @param branchesFolded       conditional branches and switches decided at specialization time
 * @param loopIterationsUnrolled loop iterations specialized separately because their control was known
 * @param heapReadsFolded      field and array-element reads replaced by the value read
 * @param variants             specialized program points (polyvariant blocks) in the residual code
 * @param budgetExceeded       whether a budget cut specialization short somewhere (the code is still correct)
 * @since 0.1
 */
public record SpecializationSummary(int instructionsBefore, int instructionsAfter, int callsInlined,
    int callsSpecialized, int callsFolded, int callsResidual, int branchesFolded, int loopIterationsUnrolled,
    int heapReadsFolded, int variants, boolean budgetExceeded) {

  @Override
  public String toString() {
    return "instructions " + instructionsBefore + " -> " + instructionsAfter
        + "; calls inlined " + callsInlined + ", specialized apart " + callsSpecialized + ", folded to their result "
        + callsFolded + ", left as calls " + callsResidual
        + "; branches folded " + branchesFolded + ", loop iterations unrolled " + loopIterationsUnrolled
        + ", heap reads folded " + heapReadsFolded + ", variants " + variants
        + (budgetExceeded ? ", budget exceeded (less specialized)" : "");
  }
}
