package org.quasi.specializer.facade;

/** The public facade: its public static members are its package-private superclass's. */
public final class Facade extends FacadePart {
  private Facade() {}
}
