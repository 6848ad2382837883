package org.quasi.specializer.corpus;

/** A base class whose state is private to it: subclasses reach it only through super calls. */
public class Style {
  private final String end;
  private int uses;

  public Style() {
    this.end = "]";
  }

  /** Returns the end marker and counts the use (a write the residual code must keep). */
  public String end() {
    uses++;
    return end;
  }

  public int uses() {
    return uses;
  }
}
