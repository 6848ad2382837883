package org.quasi.specializer.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quasi.specializer.validate.sample.Effects;
import org.quasi.specializer.validate.sample.Blocker;
import org.quasi.specializer.validate.sample.Heavy;
import org.quasi.specializer.validate.sample.Hog;
import org.quasi.specializer.validate.sample.SlowText;

/** {@link Validator} on the specializer's own corpus and on a sample of methods with side effects. */
class ValidatorTest {

  private static String testClasses() throws URISyntaxException {
    return Path.of(Effects.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  @Test
  void validatesCorpus() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("org\\.quasi\\.specializer\\.corpus\\.")).trials(6).seed(1).run();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.divergences()).as(report.text()).isEmpty();
    assertThat(report.methodsTried()).isGreaterThan(40);
    assertThat(report.methodsSpecialized()).isEqualTo(report.methodsTried());
    assertThat(report.trialsSpecialized()).isGreaterThan(200);
    // Half the trials share code: later ones of a method are made from an earlier one's template when they can.
    assertThat(report.trialsFromTemplates()).isPositive().isLessThan(report.trialsSpecialized() / 2);
    assertThat(report.text()).contains("methods tried " + report.methodsTried(), "crashes 0");
    assertThat(report.methodsWithArguments()).isPositive().isLessThanOrEqualTo(report.methodsSpecialized());
    assertThat(report.methodsWithArgumentsSmaller()).isLessThanOrEqualTo(report.methodsWithArguments())
        .isLessThanOrEqualTo(report.methodsSmaller());
    assertThat(report.text()).contains("of the methods taking an argument (receiver included): smaller in "
        + report.methodsWithArgumentsSmaller() + " of " + report.methodsWithArguments());
    // Besides its six trials, each method taking an argument is run once knowing none (unless its draw is void or
    // an earlier trial skipped it): the method evaluated anew and cleaned up, code no split knowing something
    // reaches when what is known cuts the method's branches.
    assertThat(report.wholeMethodTrials()).isLessThanOrEqualTo(report.methodsWithArguments())
        .isGreaterThan(report.methodsWithArguments() * 9 / 10);
    assertThat(report.trials()).isLessThanOrEqualTo(6 * report.methodsTried());
    assertThat(report.text()).contains("6 per method, and " + report.wholeMethodTrials() + " knowing no argument");
    assertThat(report.json()).contains("\"wholeMethodTrials\": " + report.wholeMethodTrials());
    // Each specialized method's sizes, and the counts are theirs.
    assertThat(report.methodSizes()).hasSize(report.methodsSpecialized());
    assertThat(report.methodSizes().stream().filter(MethodSize::smaller).count()).isEqualTo(report.methodsSmaller());
    final MethodSize first = report.methodSizes().get(0);
    assertThat(first.trials()).isBetween(1, 6);
    assertThat(report.json()).contains("\"methodSizes\": [\n    {\"method\": \"" + first.method() + "\", \"trials\": "
        + first.trials() + ", \"original\": ");
  }

  @Test
  void sameSeedRepeatsTheRun() throws Exception {
    final Validator v = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("corpus\\.CorpusArith$")).trials(4).seed(42);
    assertThat(v.run().json()).isEqualTo(v.run().json());
    assertThat(v.seed(43).run().json()).isNotEqualTo(v.run().json());
  }

  @Test
  void sideEffectPolicySkipsGlobalStateIoAndRandomness() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Effects$")).trials(5).seed(3).run();
    assertThat(report.skipped()).containsEntry("writes a static field (global state)", 1)
        .containsEntry("calls I/O, global state, randomness or identity", 7)
        .containsEntry("no generator for a parameter type", 1);
    // Throwing a RuntimeException calls no java.lang.Runtime: Effects.positive is validated.
    assertThat(report.methodsTried()).isEqualTo(3);
    assertThat(report.methodsSpecialized()).isEqualTo(3);
    assertThat(report.divergences()).isEmpty();
    assertThat(report.methodsWithArguments()).isEqualTo(3);
    assertThat(report.json()).contains("\"methodsTried\": 3", "\"crashes\": []", "\"methodsWithArguments\": 3");
  }

  /**
   * A call into a class named for randomness is randomness, wherever its state lives: colt's
   * {@code Uniform.staticNextBoolean()} advances a shared engine reached through a static field, and its three runs
   * (original, residual, original) diverged on Temurin 25 where two runs of the original agreed by chance.
   */
  @Test
  void callsIntoClassesNamedForRandomnessAreSkipped() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Dice$")).trials(3).seed(1).run();
    assertThat(report.methodsTried()).as(report.text()).isZero();
    assertThat(report.skipped()).as(report.text()).containsEntry("calls I/O, global state, randomness or identity",
        1);
  }

  /**
   * An effect in an inherited method, called through the class's own name (an unqualified call, as javac compiles
   * it), is found where the JVM resolves the call: in a superclass, or in a superinterface's default method.
   */
  @Test
  void effectsOfInheritedMethodsAreFound() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Loud$")).trials(3).seed(1).run();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("calls I/O, global state, randomness or identity", 1)
        .containsEntry("writes a static field (global state)", 1);
    assertThat(report.methodsTried()).as(report.text()).isZero();
  }

  /**
   * Describing an outcome or a draw runs library code ({@code toString} of a {@code Number}); it runs on the worker,
   * within the time limit: TeaVM's {@code TBigInteger.toString} of a drawn power held the validation's own thread for
   * minutes.
   */
  @Test
  void slowDescriptionsAreTimedOutOnTheWorker() throws Exception {
    final long start = System.nanoTime();
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.SlowText$")).trials(2).seed(1)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("describing the original's outcome did not finish within the time limit", 1)
        .containsEntry("describing the drawn arguments did not finish within the time limit", 1);
    assertThat(report.divergences()).isEmpty();
    assertThat(System.nanoTime() - start).as("no description ran to its end").isLessThan(SlowText.NANOS);
  }

  /**
   * The residual code is the method's own body; a receiver whose class overrides the method (an enum constant with a
   * body) would run another one on a virtual call, so such draws are void, and no divergence is reported.
   */
  @Test
  void receiversThatOverrideTheMethodAreNotCompared() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Lone$")).trials(3).seed(1).run();
    assertThat(report.divergences()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("the receivers drawn override the method", 1);
  }

  /** A method reading raw memory at an offset computed from a drawn value is never run: it could crash the JVM. */
  @Test
  void rawMemoryAccessIsSkipped() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.RawMemory$")).trials(3).seed(1).run();
    assertThat(report.skipped()).as(report.text()).containsEntry("calls Unsafe (raw memory access)", 1);
    assertThat(report.methodsTried()).isZero();
  }

  /**
   * A method reaching a native method of a class outside the JDK, directly or through an interface whose implementation
   * on the class path calls it, is never run: native code reading as far as a drawn length says crashed the JVM
   * (smile's {@code OpenBLAS.asum} calling JavaCPP's {@code cblas_dasum}, and its {@code Matrix} calling
   * {@code BLAS.engine}).
   */
  @Test
  void nativeCodeOutsideTheJdkIsSkipped() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.NativeCode$")).trials(3).seed(1).run();
    assertThat(report.skipped()).as(report.text()).containsEntry("calls native code outside the JDK", 2);
    assertThat(report.methodsTried()).as(report.text()).isZero();
  }

  /**
   * A method running code on other threads is never run on drawn values: which task's exception it throws depends on
   * the schedule (smile's {@code MathEx.pdist} threw IllegalArgumentException or NullPointerException on one input), and
   * the two runs of the original, agreeing by chance, let a different one from the residual code pass for a divergence.
   */
  @Test
  void parallelStreamsAreSkipped() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Parallel$")).trials(3).seed(1).run();
    assertThat(report.skipped()).as(report.text()).containsEntry("calls code run on other threads", 1);
    assertThat(report.methodsTried()).as(report.text()).isZero();
  }

  @Test
  void aConstructorThatHangsIsDrawnNoMore() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Stubborn$")).trials(40).seed(2)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    // The first draw of a large int hangs the constructor: that method is skipped, and so are the later ones.
    assertThat(report.text()).contains("did not finish within the time limit");
    assertThat(report.skipped().keySet()).as(report.text())
        .anySatisfy(k -> assertThat(k).contains("on an earlier draw"));
    assertThat(report.crashes()).as(report.text()).isEmpty();
  }

  @Test
  void aConstructorThatNeverYieldsIsGivenUpOnAndTheRunCompletes() throws Exception {
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Hog$")).trials(5).seed(2)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    assertThat(report.complete()).as(report.text()).isTrue();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    // Whichever static method is tried first hangs drawing its Hog, and is skipped with that reason; the other is
    // skipped for its argument.
    assertThat(report.skipped()).as(report.text())
        .containsEntry("drawing arguments did not finish within the time limit", 1)
        .containsEntry("constructing a " + Hog.class.getName()
            + " did not finish within the time limit on an earlier draw", 1);
    // The constructor's loop ended at a cancellation point (or by Thread.stop up to JDK 19), and its heap with it.
    assertThat(report.runsAbandoned()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStopped()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStillRunning()).isEmpty();
    assertThat(report.json()).contains("\"runsAbandoned\": 1", "\"endedEarly\": null");
  }

  @Test
  void aRunThatCannotBeEndedFencesOffItsClass() throws Exception {
    final ValidationReport report;
    synchronized (Blocker.LOCK) {
      report = Validator.of(List.of(testClasses()))
          .include(Pattern.compile("validate\\.sample\\.Blocker$")).trials(3).seed(1)
          .timeLimit(java.time.Duration.ofMillis(300)).run();
    }
    assertThat(report.complete()).as(report.text()).isTrue();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("the original did not finish within the time limit", 1)
        .containsEntry("a run of this class that timed out could not be stopped and is still running", 1);
    assertThat(report.runsStillRunning()).containsExactly(Blocker.class.getName());
    assertThat(report.text()).contains("still running 1 (in " + Blocker.class.getName() + ")");
  }

  /**
   * A run that outlives the time limit and the grace but then ends (here: blocked on a monitor another thread lets go
   * a second later) costs its class nothing: the harness waits for it once before the class's next method, which is
   * then tried. Before, the class was fenced off whenever such a run was still going at that moment.
   */
  @Test
  void aRunThatEndsLateCostsItsClassNothing() throws Exception {
    final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    final Thread holder = new Thread(() -> {
      synchronized (Blocker.LOCK) {
        held.countDown();
        awaitBlockedWorker();
        sleep(1000);
      }
    });
    holder.start();
    held.await();
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.Blocker$")).trials(3).seed(1)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    holder.join();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("the original did not finish within the time limit", 1)
        .doesNotContainKey("a run of this class that timed out could not be stopped and is still running");
    // enter timed out on its first draw; enterAgain, waiting on the same lock, was tried once the lock was free.
    assertThat(report.methodsTried()).as(report.text()).isEqualTo(2);
    assertThat(report.trials()).as(report.text()).isEqualTo(4);
    assertThat(report.runsAbandoned()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStillRunning()).isEmpty();
  }

  /** Waits until a validator worker thread is blocked on a monitor (at most 30 s). */
  private static void awaitBlockedWorker() {
    final long end = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < end) {
      for (final Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("quasi-validate-worker") && t.getState() == Thread.State.BLOCKED) {
          return;
        }
      }
      sleep(10);
    }
  }

  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void aLibraryLoopThatIgnoresInterruptsIsCancelledOnAnyJdk(@TempDir final Path dir) throws Exception {
    Spinner.write(dir);
    final ValidationReport report = Validator.of(List.of(dir.toString())).trials(3).seed(1)
        .timeLimit(java.time.Duration.ofMillis(300)).run();
    assertThat(report.complete()).as(report.text()).isTrue();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).containsEntry("the original did not finish within the time limit",
        1);
    // Its loop polls for cancellation: the thread ends even where Thread.stop no longer works.
    assertThat(report.runsAbandoned()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStopped()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStillRunning()).isEmpty();
  }

  @Test
  void aHeapOverBudgetEndsTheRunWithAPartialReport() throws Exception {
    // No heap is this empty after a collection: the run ends before its first class, and says so.
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("corpus\\.CorpusArith$")).trials(2).seed(1).heapBudget(1e-9).run();
    assertThat(report.complete()).isFalse();
    assertThat(report.endedEarly()).startsWith("the run ended after 0 of 1 classes: the heap stayed ")
        .contains("full after a collection");
    assertThat(report.text()).startsWith("INCOMPLETE: the run ended after 0 of 1 classes");
    assertThat(report.json()).contains("\"endedEarly\": \"the run ended after 0 of 1 classes");
    assertThat(report.methodsTried()).isZero();
  }

  /**
   * A run that timed out and still holds much of the heap when the next class comes (here: 256 MB, blocked on a
   * monitor the test lets go a second later) is waited for before the heap watch judges: the heap is garbage once the
   * run ends. Before, the run ended there as "INCOMPLETE: the heap stayed 100% full" (commons-rng 1.7 on Temurin 25,
   * seed 2: {@code Long2LongArray.convert(seed, size)} zeroing a 6 GB array past its time limit and grace).
   */
  @Test
  void aTimedOutRunHoldingTheHeapIsWaitedForBeforeTheHeapWatchEndsTheRun() throws Exception {
    final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    final Thread holder = new Thread(() -> {
      synchronized (Heavy.LOCK) {
        held.countDown();
        awaitBlockedWorker();
        sleep(1000);
      }
    });
    holder.start();
    held.await();
    // A budget the heap meets now and not while the blocked run holds its array.
    System.gc();
    final Runtime rt = Runtime.getRuntime();
    final long used = rt.totalMemory() - rt.freeMemory();
    final double budget = Math.min(1, (used + Heavy.LONGS * 4.0) / rt.maxMemory());
    final ValidationReport report = Validator.of(List.of(testClasses()))
        .include(Pattern.compile("validate\\.sample\\.(Heavy|Lone)$")).trials(3).seed(1)
        .timeLimit(java.time.Duration.ofMillis(300)).heapBudget(budget).run();
    holder.join();
    assertThat(report.endedEarly()).as(report.text()).isNull();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text())
        .containsEntry("the original did not finish within the time limit", 1);
    assertThat(report.runsAbandoned()).as(report.text()).isEqualTo(1);
    assertThat(report.runsStillRunning()).isEmpty();
  }

  /**
   * A run that timed out and fills the heap past its time limit (ejml 0.46.1, seed 3, 20 trials:
   * {@code QRDecompositionHouseholderColumn_DDRM.setExpectedMaxSize} allocating a {@code double[m][n]} of drawn sizes
   * inside the JVM) made every allocation of the harness fail: the skip's record, the class's, the run's reason, and
   * {@code ./quasi validate} ended with "internal error: OutOfMemoryError" and no report. The harness now waits for
   * room before it records anything, and the run goes on. In a JVM of its own with a 128 MB heap, whose main holds
   * the monitor the run waits for until a second after the heap is full.
   */
  @Test
  void aTimedOutRunThatFillsTheHeapCostsTheHarnessNothing() throws Exception {
    final String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final Process child = new ProcessBuilder(launcher, "-Xmx128m", "-XX:+UseSerialGC", "-cp", classPath,
        GluttonInChild.class.getName(), testClasses()).redirectErrorStream(true).start();
    final String out = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(child.waitFor()).as(out).isZero();
    assertThat(out).contains("report: crashes 0,").contains("ended early null");
  }

  /** Run in a child JVM: validates {@link Glutton} while holding its monitor, and prints the report or the failure. */
  static final class GluttonInChild {
    public static void main(final String[] args) throws Exception {
      final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
      final Thread holder = new Thread(() -> {
        synchronized (org.quasi.specializer.validate.sample.Glutton.LOCK) {
          held.countDown();
          // Until a second after the heap is full, allocating nothing meanwhile: past the run's time limit of half a
          // second, so the harness gives up on it and allocates while the heap is full, and well within the five
          // time limits it waits for room (two seconds, as first written, left too little of them on a loaded CI
          // machine: Temurin 25 once ended the run before the heap came back).
          final Runtime rt = Runtime.getRuntime();
          while (rt.totalMemory() - rt.freeMemory() < rt.maxMemory() * 9 / 10) {
            sleep(5);
          }
          sleep(1000);
        }
      });
      holder.setDaemon(true);
      holder.start();
      held.await();
      try {
        final ValidationReport report = Validator.of(List.of(args[0]))
            .include(Pattern.compile("validate\\.sample\\.Glutton$")).trials(1).seed(1)
            .timeLimit(java.time.Duration.ofMillis(500)).run();
        System.out.println("report: crashes " + report.crashes().size() + ", tried " + report.methodsTried()
            + ", skipped " + report.skipped() + ", ended early " + report.endedEarly());
      } catch (Throwable t) {
        System.out.println("run threw " + t);
        t.printStackTrace(System.out);
        System.exit(1);
      }
    }
  }

  @Test
  void aSignatureNamingAMissingClassIsSkippedNotFatal(@TempDir final Path dir) throws Exception {
    Gappy.write(dir);
    final ValidationReport report = Validator.of(List.of(dir.toString())).trials(3).seed(1).run();
    assertThat(report.complete()).as(report.text()).isTrue();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).containsKey("a type in its signature cannot be loaded");
    assertThat(report.methodsTried()).as(report.text()).isEqualTo(1);
  }

  /**
   * Generic signatures that do not match the descriptor: Scala 3's can name fewer parameters (scala3-library 3.3.7: 57
   * methods of {@code IArray}, each a crash of the harness, whose draw followed the signature and fell one argument
   * short), Scala 2.13's name a type variable for a {@code double} (scala-library 2.13.18: {@code
   * Numeric.DoubleIsFractional.max(DD)D} drawn objects, 35 crashes and 8 divergences).
   */
  @Test
  void aSignatureThatDoesNotMatchTheDescriptorDrawsItsParametersErased(@TempDir final Path dir) throws Exception {
    Untagged.write(dir);
    final ValidationReport report = Validator.of(List.of(dir.toString())).trials(3).seed(1).run();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.divergences()).as(report.text()).isEmpty();
    assertThat(report.skipped()).as(report.text()).isEmpty();
    assertThat(report.methodsTried()).as(report.text()).isEqualTo(3);
    assertThat(report.methodsSpecialized()).as(report.text()).isEqualTo(3);
  }

  @Test
  void validatesJdkClassesThroughJrt() {
    final ValidationReport report = Validator.of(List.of("jrt:/java.base"))
        .include(Pattern.compile("^java\\.util\\.BitSet$")).trials(3).seed(5).run();
    assertThat(report.classes()).isEqualTo(1);
    assertThat(report.methodsTried()).isPositive();
    assertThat(report.crashes()).as(report.text()).isEmpty();
    assertThat(report.divergences()).as(report.text()).isEmpty();
  }

  @Test
  void badClassPathIsAClearError() {
    assertThatThrownBy(() -> Validator.of(List.of("/no/such/dir")).run())
        .isInstanceOf(ClassPathException.class).hasMessageContaining("/no/such/dir does not exist");
    assertThatThrownBy(() -> Validator.of(List.of("jrt:/java.nosuch")).run())
        .isInstanceOf(ClassPathException.class).hasMessageContaining("no module java.nosuch");
  }
}
