package org.quasi.specializer;

import java.util.List;

/**
 * The residual code of one specialization, described: the heap facts it relies on, what specialization did, and the
 * residual method as readable bytecode.
 *
 * @param dependencies the folded heap reads, in the order they were first made
 * @param summary      what specialization did, in numbers
 * @param dump         the residual method as text (ASM Textifier), known constants listed first
 * @param classFile    the hidden class's class file (must not be modified)
 */
public record ResidualCode(List<Dependency> dependencies, SpecializationSummary summary, String dump,
        byte[] classFile) {
}
