package org.quasi.bench.signals;

/**
 * The paper's measurements for the signals experiment (§4.1.2 and §4.2), kept as data so that a table can print them
 * beside the measured ones. The speedup is the paper's own rounded figure, not recomputed.
 */
public enum PaperFigure {

  /** Table 3: SIGUSR1 to itself, with a handler, 62 processes. */
  SIGUSR1("sigusr1", "Table 3: SIGUSR1, 62 processes", 44.1, 15.3, "us", 2.87),
  /** Table 4: signal 0 (no delivery), 62 processes. */
  SIG0("sig0", "Table 4: signal 0, 62 processes", 29.5, 2.0, "us", 14.75),
  /** Table 5: SIGUSR1 in single-user mode. */
  SINGLE_USER("singleUser", "Table 5: SIGUSR1, single user", 16.7, 13.8, "us", 1.21),
  /** Table 6: the threads application, average of four runs. */
  APP("app", "Table 6: producer/consumer", 11.87, 5.60, "s", 2.11);

  /** The benchmark method that measures the same thing. */
  private final String benchmark;
  /** What the row is. */
  private final String description;
  /** The standard kernel's figure. */
  private final double standard;
  /** The specialized kernel's figure. */
  private final double specialized;
  /** The unit of the two figures. */
  private final String unit;
  /** The speedup the paper states. */
  private final double speedup;

  PaperFigure(final String benchmark, final String description, final double standard, final double specialized,
      final String unit, final double speedup) {
    this.benchmark = benchmark;
    this.description = description;
    this.standard = standard;
    this.specialized = specialized;
    this.unit = unit;
    this.speedup = speedup;
  }

  /** @return the benchmark method's name */
  public String benchmark() {
    return benchmark;
  }

  /** @return what the row measures */
  public String description() {
    return description;
  }

  /** @return the standard kernel's figure, in {@link #unit()} */
  public double standard() {
    return standard;
  }

  /** @return the specialized kernel's figure, in {@link #unit()} */
  public double specialized() {
    return specialized;
  }

  /** @return the unit of the paper's figures */
  public String unit() {
    return unit;
  }

  /** @return the speedup the paper states (standard / specialized, rounded by the authors) */
  public double speedup() {
    return speedup;
  }
}
