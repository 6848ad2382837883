package org.quasi.bench.specializer;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.Specializer;

/**
 * Does a method configured by a known configuration object, specialized, run as fast as the version written by hand
 * for that configuration?
 *
 * <p>{@link Options#encode} tests its options (byte order, width, rounds, salt, checksum) on every call:
 * {@code generic}. {@code hand} is the same encoding written for the standard options. {@code quasi} is
 * {@code encode} specialized with the options object known and its fields quasi-invariant: branches fold, the
 * mixing loop unrolls over the known salt.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

  /** The options the quasi variant was specialized for. */
  static final Options STANDARD = Options.standard();

  /** The residual code of {@code encode(STANDARD, value)}, a constant to the JIT. */
  static final IntToLongFunction QUASI = specialize();

  /** The generic variant's options; a state field, as a server's connection object would be. */
  Options options = Options.standard();

  /** The input; changes every call so nothing folds. */
  int value;

  @Setup
  public void check() {
    for (int i = -1000; i < 1000; i += 7) {
      final long expected = Options.encode(options, i);
      if (QUASI.applyAsLong(i) != expected || Options.encodeStandard(i) != expected) {
        throw new IllegalStateException("variants disagree at " + i);
      }
    }
  }

  @Benchmark
  public long generic() {
    return Options.encode(options, value++);
  }

  @Benchmark
  public long hand() {
    return Options.encodeStandard(value++);
  }

  @Benchmark
  public long quasi() {
    return QUASI.applyAsLong(value++);
  }

  static IntToLongFunction specialize() {
    return specialization().function();
  }

  /** {@code encode} specialized on the standard options, with its summary (what {@code DispatchBenchmarkTest} checks). */
  static Specialization<IntToLongFunction> specialization() {
    try {
      return Specializer.of(MethodHandles.lookup())
          .method(Options.class, "encode", Options.class, int.class)
          .known(0, STANDARD)
          .quasiInvariant(Options.class, "littleEndian", "width", "checksum", "rounds", "salt")
          .as(IntToLongFunction.class)
          .specialize();
    } catch (SpecializationDeclined e) {
      throw new IllegalStateException(e);
    }
  }

  /*
   * HOW TO RUN AND READ THIS
   *
   *   ./quasi bench specializer        (or --quick)
   *
   * quasi / hand should be at most 1.1: the residual code is the hand-written encoding, with the salt as constants.
   * generic / quasi shows what testing the options on every call costs; it is modest here because the branches are
   * perfectly predicted — the gain is the unrolled loop and the folded salt loads.
   */
}
