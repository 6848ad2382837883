package org.quasi.specializer.corpus;

/** A corpus enum, switched on by {@link CorpusSwitches}. */
public enum Color {
  RED, GREEN, BLUE, BLACK
}
