package org.quasi.specializer;

import java.util.List;
import java.util.function.Supplier;

/**
 * The residual code of one specialization, described: the heap facts it relies on, what specialization did, and the
 * residual method as readable bytecode (rendered on first request: most programs never ask).
 *
 * @since 0.1
 */
public final class ResidualCode {
  private final List<Dependency> dependencies;
  private final SpecializationSummary summary;
  private final byte[] classFile;
  private final boolean fromTemplate;
  private Supplier<String> render;
  private String dump;

  ResidualCode(final List<Dependency> dependencies, final SpecializationSummary summary,
      final Supplier<String> render, final byte[] classFile, final boolean fromTemplate) {
    this.dependencies = dependencies;
    this.fromTemplate = fromTemplate;
    this.summary = summary;
    this.render = render;
    this.classFile = classFile;
  }

  /** Returns the folded heap reads, in the order they were first made. */
  public List<Dependency> dependencies() {
    return dependencies;
  }

  /** Returns what specialization did, in numbers. */
  public SpecializationSummary summary() {
    return summary;
  }

  /** Returns the residual method as text (ASM Textifier), the known constants it loads listed first. */
  public synchronized String dump() {
    if (dump == null) {
      dump = render.get();
      render = null;
    }
    return dump;
  }

  /**
   * Returns whether this code was made without evaluating: an earlier request's for the same method, with the same
   * known primitives and assumed fields, whose record of what it read from the heap read the same on this request's
   * objects (same values, classes and identities), so that evaluating again would have given the same code.
   */
  public boolean fromTemplate() {
    return fromTemplate;
  }

  /** Returns the hidden class's class file (a copy). */
  public byte[] classFile() {
    return classFile.clone();
  }
}
