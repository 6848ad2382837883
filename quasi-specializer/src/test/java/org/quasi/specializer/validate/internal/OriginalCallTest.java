package org.quasi.specializer.validate.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.invoke.MethodHandles;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The validator's call of the original ({@link MethodTrials#invoke}) gives what the method itself returns or throws.
 * Through {@code Method.invoke}, from JDK 18 on, an exception whose stack trace the library had trimmed of its own
 * frames, as kotlin-stdlib's {@code Intrinsics.throwJavaNpe} trims its {@code NullPointerException}, came back as
 * {@code IllegalArgumentException}: its top frame was then the reflective accessor's, which takes it for a failure of
 * its own argument handling (35 divergences of kotlin-stdlib 2.4.21 on Temurin 25).
 */
class OriginalCallTest {

  /** Library methods as the samples of the report. */
  public static final class Trimming {

    /** Throws a NullPointerException whose stack trace starts at the caller, as Kotlin's intrinsics do. */
    public static void trimmed() {
      final NullPointerException e = new NullPointerException();
      final StackTraceElement[] trace = e.getStackTrace();
      e.setStackTrace(Arrays.copyOfRange(trace, 1, trace.length));
      throw e;
    }

    /** The class of the method's caller. */
    public static String caller() {
      return new Throwable().getStackTrace()[1].getClassName();
    }

    public long sum(final int a, final long... more) {
      return a + (more == null ? -1 : more.length);
    }
  }

  @Test
  void anExceptionWithATrimmedStackTraceIsThrownAsIs() throws Exception {
    assertThatThrownBy(() -> MethodTrials.invoke(MethodHandles.lookup(), Trimming.class.getMethod("trimmed"),
        new Object[0])).isExactlyInstanceOf(NullPointerException.class);
  }

  @Test
  void theOriginalIsNotCalledThroughCoreReflection() throws Exception {
    // Whatever the JDK: its reflective accessors are what misread trimmed stack traces on JDK 18 and later.
    assertThat((String) MethodTrials.invoke(MethodHandles.lookup(), Trimming.class.getMethod("caller"),
        new Object[0])).doesNotStartWith("jdk.internal.reflect.").doesNotStartWith("sun.reflect.");
  }

  @Test
  void theReceiverComesFirstAndAVarargsArrayIsPassedAsIs() throws Exception {
    final var sum = Trimming.class.getMethod("sum", int.class, long[].class);
    assertThat(MethodTrials.invoke(MethodHandles.lookup(), sum, new Object[] {new Trimming(), 3, new long[] {1, 2}}))
        .isEqualTo(5L);
    assertThat(MethodTrials.invoke(MethodHandles.lookup(), sum, new Object[] {new Trimming(), 3, null}))
        .isEqualTo(2L);
  }
}
