package org.quasi.specializer.internal;

/**
 * Internal signal that specialization cannot continue correctly at some instruction; the pipeline turns it into a
 * {@link org.quasi.specializer.SpecializationDeclined} naming the method and instruction.
 */
final class Declined extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final transient MethodFacts method;
  final int index;

  Declined(final MethodFacts method, final int index, final String reason) {
    super(reason);
    this.method = method;
    this.index = index;
  }
}
