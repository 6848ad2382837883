package org.quasi.specializer.validate.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;

/**
 * The differential trials of one method. Each trial draws, from its own seed, a split of the arguments (receiver
 * included) into known and unknown and values for all of them, three times alike (copies that do not describe alike
 * skip the method: a constructor read the clock); specializes on the first copy's known values; runs the original
 * on the second copy, the residual code on the first copy's unknown values, and the original again on the third;
 * and compares the results (or exception types) and the final states of all arguments, as {@link Describer} sees
 * them. When the two runs of the original differ (time, randomness or I/O the {@link EffectScreen} missed), the
 * method is skipped as nondeterministic; running them around the residual code's run keeps a clock read from
 * passing for a divergence.
 *
 * <p>Library code (argument constructors, the original, the residual code) and the specializer run on the
 * {@link Worker} with a time limit, and so do the descriptions of arguments and outcomes, which run library code too
 * ({@code toString} of a {@code Number}, the methods of a {@code CharSequence}): TeaVM's {@code TBigInteger.toString}
 * of a drawn power ran on the harness thread for minutes. An original that times out, exhausts memory or overflows the stack ends the
 * method's validation with that reason: the comparison would say nothing.
 */
public final class MethodTrials {
  /** Words of a decline reason that name a program element (qualified names, descriptors): left out of its key. */
  private static final Pattern NAME = Pattern.compile(".*\\w[.;$]\\w.*|.*;\\)?");

  /** How many times the original's time limit the specializer and the residual code get. */
  static final int SLACK = 10;

  /** Marks the outcome of an original run that cannot serve as a reference. */
  private static final String SKIP = "skip: ";

  /** How many time limits an abandoned run is given, once, to end before its class is fenced off. */
  private static final int PATIENCE_LIMITS = 5;

  private final Worker worker;
  private final ArgumentGenerator generator = new ArgumentGenerator();
  private final EffectScreen effects;
  private final Duration limit;
  private final org.quasi.specializer.JdkPolicy jdkPolicy;

  public MethodTrials(final Worker worker, final EffectScreen effects, final Duration limit,
      final org.quasi.specializer.JdkPolicy jdkPolicy) {
    this.jdkPolicy = jdkPolicy;
    this.worker = worker;
    this.effects = effects;
    this.limit = limit;
  }

  /** Returns the name of {@code m} used in reports: owner binary name, '.', name and descriptor. */
  public static String name(final Method m) {
    return m.getDeclaringClass().getName() + "." + m.getName() + org.objectweb.asm.Type.getMethodDescriptor(m);
  }

  /** Returns why {@code m}'s arguments cannot be generated, or null. */
  public String argumentProblem(final Method m) {
    if (!Modifier.isStatic(m.getModifiers())) {
      final Class<?> owner = m.getDeclaringClass();
      if (Modifier.isAbstract(owner.getModifiers()) && !owner.isEnum() || owner.isInterface()) {
        return "receiver: abstract class or interface";
      }
      final String p = generator.problem(owner);
      if (p != null) {
        return "receiver: " + p;
      }
      final java.lang.reflect.Constructor<?> k = owner.isEnum() ? null : ArgumentGenerator.constructor(owner);
      final String effect = k == null ? null : effects.problem(org.objectweb.asm.Type.getInternalName(owner),
          "<init>", org.objectweb.asm.Type.getConstructorDescriptor(k));
      if (effect != null) {
        return "receiver: constructor " + effect;
      }
    }
    if (m.getParameterCount() + (Modifier.isStatic(m.getModifiers()) ? 0 : 1) > Arities.MAX) {
      return "more than " + Arities.MAX + " arguments";
    }
    for (final Type t : ArgumentGenerator.parameterTypes(m)) {
      final String p = generator.problem(t);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /**
   * Returns whether a run of {@code c}'s code (or of arguments drawn for its methods) timed out, could not be
   * stopped, and is still running after five more time limits: more of its code would likely hang too, each time
   * costing a thread that holds a core and heap. A run that ends within that wait was only slow.
   */
  public boolean stillRunningIn(final Class<?> c) {
    return worker.stillRunningIn(c.getName(), limit.multipliedBy(PATIENCE_LIMITS));
  }

  /**
   * Waits up to five time limits in all for the runs that timed out and still run to end; returns whether any did.
   * The heap watch asks before it ends a run: a run that was only slow (zeroing a huge array it allocated, say) holds
   * that heap until it ends.
   */
  public boolean awaitStillRunning() {
    return worker.awaitStillRunning(limit.multipliedBy(PATIENCE_LIMITS));
  }

  /**
   * How long the harness waits for room after an {@link OutOfMemoryError} of its own, for runs limited to
   * {@code limit}: five time limits, as for a run that timed out before its class's next method.
   */
  public static long patienceMillis(final Duration limit) {
    return limit.multipliedBy(PATIENCE_LIMITS).toMillis();
  }

  /**
   * Runs {@code trials} trials of {@code m}, the trial seeds derived from {@code seed}, each knowing at least one
   * argument; then, for a method that takes any, one more knowing none ({@link MethodResult#wholeMethodTrials}).
   */
  public MethodResult run(final Method m, final MethodHandles.Lookup lookup, final long seed, final int trials) {
    final MethodResult result = new MethodResult(name(m));
    worker.owner(m.getDeclaringClass().getName());
    for (int t = 0; t < trials && result.skipped == null; t++) {
      final long trialSeed = mix(seed, result.method.hashCode(), t);
      trial(m, lookup, trialSeed, result, false);
    }
    if (result.skipped == null && result.arguments > 0) {
      trial(m, lookup, mix(seed, result.method.hashCode(), trials), result, true);
    }
    if (result.trials == 0 && result.skipped == null && result.undrawnWhy != null) {
      result.skipped = result.undrawnWhy;
    }
    return result;
  }

  /**
   * One trial; with {@code wholeMethod}, nothing known. Knowing nothing specializes nothing, but the residual code is
   * still the method evaluated anew, branch by branch, and cleaned up (tails merged, locals packed): that is what the
   * trial checks, so it counts for divergences and crashes, and not for the sizes, the declines or the trials
   * specialized, which are about specializing on known values.
   */
  private void trial(final Method m, final MethodHandles.Lookup lookup, final long trialSeed,
      final MethodResult result, final boolean wholeMethod) {
    final boolean instance = !Modifier.isStatic(m.getModifiers());
    final Random r = new Random(trialSeed);
    final int arity = m.getParameterCount() + (instance ? 1 : 0);
    result.arguments = arity;
    // Unless the trial is of the whole method, at least one argument known.
    final int everyArgument = arity >= Integer.SIZE ? -1 : (1 << arity) - 1;
    int mask;
    do {
      mask = wholeMethod ? 0 : r.nextInt();
    } while (!wholeMethod && arity > 0 && (mask & everyArgument) == 0);
    final long valuesSeed = r.nextLong();
    // The constructor a draw hung in is read before the worker is interrupted: an interrupted constructor may return
    // and the draw then moves on.
    final Class<?>[] hungIn = new Class<?>[1];
    final Worker.Run drawn = worker.run(() -> List.of(arguments(m, valuesSeed), arguments(m, valuesSeed),
        arguments(m, valuesSeed)), limit, () -> hungIn[0] = generator.constructing());
    if (drawn.ending() == Worker.Ending.TIMED_OUT) {
      // A constructor hung: its thread is lost for good. Skip the method now, and every later method needing that
      // class, rather than lose a thread per trial.
      final Class<?> culprit = hungIn[0];
      if (culprit != null) {
        generator.hung(culprit);
      }
      result.skipped = "drawing arguments did not finish within the time limit ("
          + (culprit == null ? "an argument's constructor" : "constructor of " + culprit.getName()) + ")";
      return;
    }
    if (drawn.ending() != Worker.Ending.RETURNED) {
      // A constructor refused the drawn values (or hung): this trial is void; the method is skipped only if every
      // trial is.
      result.undrawn++;
      result.undrawnWhy = "drawing arguments " + ending(drawn) + " (an argument's constructor)";
      return;
    }
    @SuppressWarnings("unchecked")
    final List<Object[]> copies = (List<Object[]>) drawn.value();
    final Object[] forResidual = copies.get(0);
    final Object[] forOriginal = copies.get(1);
    final Object[] forOriginalAgain = copies.get(2);
    if (instance && forResidual[0] != null && overrides(forResidual[0].getClass(), m)) {
      // The residual code is the method's own body; a virtual call on this receiver runs another one (an enum
      // constant with a body, a subclass), so the two would not be comparable. This draw is void.
      result.undrawn++;
      result.undrawnWhy = "the receivers drawn override the method (a virtual call on them runs another body)";
      return;
    }
    final Worker.Run describedDraw = worker.run(() -> DrawnTexts.of(forResidual, forOriginal, forOriginalAgain),
        limit);
    if (describedDraw.ending() != Worker.Ending.RETURNED) {
      result.skipped = "describing the drawn arguments " + ending(describedDraw);
      return;
    }
    final DrawnTexts texts = (DrawnTexts) describedDraw.value();
    if (!texts.original().equals(texts.residual()) || !texts.original().equals(texts.originalAgain())) {
      // A constructor read the clock or other state the effect screen could not see: the copies differ, and so
      // would the runs on them.
      result.skipped = "nondeterministic: arguments drawn alike differ (a constructor reads time or global state)";
      return;
    }
    if (wholeMethod) {
      result.wholeMethodTrials++;
    } else {
      result.trials++;
    }
    final List<Object> unknown = new ArrayList<>();
    final List<String> knownText = new ArrayList<>();
    final List<String> unknownText = new ArrayList<>();
    final SpecializationRequest<?> ready;
    try {
      SpecializationRequest<Object> request = Specializer.of(lookup).method(m).jdkPolicy(jdkPolicy);
      for (int i = 0; i < arity; i++) {
        if ((mask & (1 << i)) != 0) {
          request = request.known(i, forResidual[i]);
          final List<String> assumed = new ArrayList<>();
          request = KnownFields.assume(request, m, forResidual[i], assumed);
          knownText.add(i + "=" + texts.arguments()[i]
              + (assumed.isEmpty() ? "" : " (fields assumed: " + String.join(", ", assumed) + ")"));
        } else {
          unknown.add(forResidual[i]);
          unknownText.add(i + "=" + texts.arguments()[i]);
        }
      }
      // Every other trial shares code, as a version manager does for changing keys: shared classes, the residual
      // memo and templates (a later trial's code made from an earlier one's) are validated too.
      ready = request.shareCode((trialSeed & 1) == 1).as(Arities.ofArity(unknown.size()));
    } catch (IllegalArgumentException e) {
      // The generator drew a value the request refuses: a bug of the harness, reported as such.
      result.crashes.add(new Crash(result.method, trialSeed, "harness", e.toString()));
      return;
    }
    // Ten times the original's limit: on a loaded machine (and beside abandoned threads still spinning in hung
    // library code) commons-math3's FastMath.sin took more than four; a time-out must mean a hang.
    final Worker.Run made = worker.run(ready::specialize, limit.multipliedBy(SLACK));
    if (made.ending() != Worker.Ending.RETURNED) {
      if (made.ending() == Worker.Ending.THREW && made.thrown() instanceof SpecializationDeclined d) {
        if (!wholeMethod) {
          final String key = reasonKey(d.reason());
          if (!result.declines.contains(key)) {
            result.declineExamples.add(d.getMessage());
          }
          result.declines.add(key);
        }
      } else {
        result.crashes.add(new Crash(result.method, trialSeed, "specialize", ending(made)));
      }
      return;
    }
    final Specialization<?> s = (Specialization<?>) made.value();
    if (!wholeMethod) {
      result.specialized++;
      result.fromTemplates += s.residual().fromTemplate() ? 1 : 0;
      result.sizes.add(new int[] {s.summary().instructionsBefore(), s.summary().instructionsAfter()});
    }
    final String before = original(m, lookup, forOriginal);
    if (before.startsWith(SKIP)) {
      result.skipped = before.substring(SKIP.length());
      return;
    }
    // The residual code gets ten times the original's limit: a time-out then means a hang, not a slow machine (three
    // times was not enough for FastMath.ulp on a machine with a load of 20 on two cores).
    final Worker.Run ran = worker.run(() -> Arities.call(s.function(), unknown.toArray()),
        limit.multipliedBy(SLACK));
    if (ran.ending() == Worker.Ending.OUT_OF_MEMORY) {
      result.skipped = "the residual code exhausted memory (the original did not; the heap is shared with the "
          + "harness)";
      return;
    }
    String after = outcome(ran, forResidual, limit.multipliedBy(SLACK));
    // A run that timed out but then ended by itself while the worker gave up on it, with the original's outcome, was
    // slow, not wrong: on Temurin 25 the trial knowing nothing of fastutil's IntArrays.ensureCapacity(array,
    // 1383690153) timed out in the residual code (the same call as the original's, which had returned), allocating
    // 5.5 GB of a 6 GB heap on a loaded machine, and returned within the grace. Any other late outcome stays a
    // time-out: the worker interrupted the run, which interrupt-sensitive code may have answered otherwise.
    if (ran.late() != null && outcome(ran.late(), forResidual, limit.multipliedBy(SLACK)).equals(before)) {
      after = before;
    }
    // The original runs again after the residual code: a clock read the effect screen missed (reached through an
    // interface) then differs between the two runs around the residual code's, rather than between that one and a
    // pair of runs made before it.
    final String again = original(m, lookup, forOriginalAgain);
    if (again.startsWith(SKIP)) {
      result.skipped = again.substring(SKIP.length());
      return;
    }
    if (!again.equals(before)) {
      // Time, randomness or I/O reached through virtual calls the effect screen cannot follow: equal inputs do not
      // give equal outcomes, so a comparison with the residual code would say nothing.
      result.skipped = "nondeterministic: two runs of the original on equal inputs differ";
      return;
    }
    if (!before.equals(after)) {
      result.divergedTrials++;
      if (result.divergences.isEmpty()) {
        result.divergences.add(new Divergence(result.method, trialSeed, knownText, unknownText, before, after));
      }
    }
  }

  /**
   * Runs the original on {@code arguments} and describes the outcome; the result object is dropped at once, so
   * that a huge one does not crowd the residual code's run. Returns {@link #SKIP} and a reason when the original
   * cannot serve as a reference.
   */
  private String original(final Method m, final MethodHandles.Lookup lookup, final Object[] arguments) {
    final Worker.Run run = worker.run(() -> invoke(lookup, m, arguments), limit);
    if (run.ending() == Worker.Ending.TIMED_OUT || run.ending() == Worker.Ending.OUT_OF_MEMORY
        || run.thrown() instanceof StackOverflowError) {
      return SKIP + "the original " + ending(run);
    }
    final Worker.Run described = worker.run(() -> run.outcome(arguments), limit);
    return described.ending() == Worker.Ending.RETURNED ? (String) described.value()
        : SKIP + "describing the original's outcome " + ending(described);
  }

  /** Whether {@code receiverClass}, or a class between it and {@code m}'s, declares an override of {@code m}. */
  static boolean overrides(final Class<?> receiverClass, final Method m) {
    for (Class<?> k = receiverClass; k != null && k != m.getDeclaringClass(); k = k.getSuperclass()) {
      try {
        final Method o = k.getDeclaredMethod(m.getName(), m.getParameterTypes());
        if (!Modifier.isStatic(o.getModifiers()) && !Modifier.isPrivate(o.getModifiers())) {
          return true;
        }
      } catch (NoSuchMethodException e) {
        // Not declared here: look further up.
      } catch (LinkageError e) {
        // A class this one's methods name is missing: whether it overrides cannot be told, so the draw is void.
        return true;
      }
    }
    return false;
  }

  /** The decline reason with the names of program elements (qualified names, descriptors) left out. */
  static String reasonKey(final String reason) {
    final StringBuilder b = new StringBuilder();
    for (final String word : reason.split(" ")) {
      b.append(b.length() == 0 ? "" : " ").append(NAME.matcher(word).matches() ? "…" : word);
    }
    return b.toString();
  }

  private Object[] arguments(final Method m, final long seed) throws ReflectiveOperationException {
    final Random r = new Random(seed);
    final boolean instance = !Modifier.isStatic(m.getModifiers());
    final Type[] params = ArgumentGenerator.parameterTypes(m);
    final Object[] out = new Object[params.length + (instance ? 1 : 0)];
    int i = 0;
    if (instance) {
      out[i++] = generator.generate(m.getDeclaringClass(), r, true);
    }
    for (final Type t : params) {
      out[i++] = generator.generate(t, r, false);
    }
    return out;
  }

  /**
   * Calls the original through a method handle of the class's lookup, the receiver first; what it throws is thrown
   * as is, since the exception's type is the outcome compared. Not through {@code Method.invoke}: from JDK 18 on, an
   * exception whose stack trace the library trimmed down to the caller's frames reads there as the accessor's own
   * argument failure and comes back as {@code IllegalArgumentException} (kotlin-stdlib's {@code Intrinsics} drop their
   * own frames from the {@code NullPointerException}s they throw: 35 divergences on Temurin 25).
   */
  static Object invoke(final MethodHandles.Lookup lookup, final Method m, final Object[] args) throws Exception {
    final MethodHandle h = lookup.unreflect(m).asFixedArity();
    try {
      return h.invokeWithArguments(args);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw MethodTrials.<RuntimeException>rethrow(t);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T rethrow(final Throwable t) throws T {
    throw (T) t;
  }

  /**
   * The residual code's outcome described on the worker within {@code limit}; a description that does not finish is
   * an outcome of its own, which differs from the original's (whose description finished): an equal value would have
   * been described as fast.
   */
  private String outcome(final Worker.Run run, final Object[] arguments, final Duration limit) {
    final Worker.Run described = worker.run(() -> run.outcome(arguments), limit);
    return described.ending() == Worker.Ending.RETURNED ? (String) described.value()
        : "describing the outcome " + ending(described);
  }

  /** The descriptions of the three copies of a draw, and of the first copy's arguments one by one. */
  private record DrawnTexts(String residual, String original, String originalAgain, String[] arguments) {
    static DrawnTexts of(final Object[] forResidual, final Object[] forOriginal, final Object[] forOriginalAgain) {
      final String[] each = new String[forResidual.length];
      for (int i = 0; i < each.length; i++) {
        each[i] = Describer.describe(forResidual[i]);
      }
      return new DrawnTexts(Describer.describe(forResidual), Describer.describe(forOriginal),
          Describer.describe(forOriginalAgain), each);
    }
  }

  /** How a run ended, with the four innermost frames of what it threw (enough to find the line in a report). */
  private static String ending(final Worker.Run run) {
    return run.inWords(4);
  }

  private static long mix(final long seed, final int method, final int trial) {
    long z = seed ^ (method * 0x9E3779B97F4A7C15L) ^ (trial * 0xC2B2AE3D27D4EB4FL);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
