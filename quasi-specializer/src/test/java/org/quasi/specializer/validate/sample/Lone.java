package org.quasi.specializer.validate.sample;

/** An enum whose one constant has a body overriding {@link #label()}: a virtual call never runs the base body. */
public enum Lone {
  ONLY {
    @Override
    public String label() {
      return "only";
    }
  };

  /** The base body, which the specializer specializes and no virtual call on {@link #ONLY} runs. */
  public String label() {
    return "base";
  }
}
