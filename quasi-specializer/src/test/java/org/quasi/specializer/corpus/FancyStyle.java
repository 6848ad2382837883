package org.quasi.specializer.corpus;

/** Overrides with a super call into {@link Style}, whose private fields its nest cannot read. */
public final class FancyStyle extends Style {
  @Override
  public String end() {
    return super.end() + "!";
  }

  /** {@code return twice ? super.end() + super.end() : end();} */
  public String ends(final boolean twice) {
    return twice ? super.end() + super.end() : end();
  }
}
