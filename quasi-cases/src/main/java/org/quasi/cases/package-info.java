/**
 * The paper's case studies as ordinary Java programs, one package per case study.
 *
 * <p>Each package is a lesson in the style of the JMH samples: its {@code package-info} tells the story, and the
 * variants of the same code sit side by side: the <em>generic</em> code, written as plainly as the original and never
 * edited for speed; the <em>hand</em>-specialized baseline, what the paper's authors wrote by hand; and, once the
 * specializer and guards exist, the <em>quasi</em> variant, the generic code specialized by Quasi from a declarative
 * spec. A {@code Variant} enum in each package boots any of them, so tests and benchmarks cover every variant without
 * naming it.
 *
 * <ul>
 *   <li>{@link org.quasi.cases.signals}: Experiment 1, Linux signal delivery (paper §4.1–4.2).</li>
 * </ul>
 */
package org.quasi.cases;
