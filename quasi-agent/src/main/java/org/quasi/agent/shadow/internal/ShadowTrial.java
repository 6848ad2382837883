package org.quasi.agent.shadow.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.objectweb.asm.Type;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationDeclined;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;
import org.quasi.specializer.validate.Crash;
import org.quasi.specializer.validate.Divergence;
import org.quasi.specializer.validate.internal.Arities;
import org.quasi.specializer.validate.internal.Describer;
import org.quasi.specializer.validate.internal.Worker;

/**
 * The shadow of one sampled invocation: a seeded split of its actual arguments (receiver included) into known and
 * unknown; the specialization on the known ones; the original run twice and the residual code once on the same
 * argument objects (the method is free of heap writes, so no run can change what another sees); and the comparison
 * of their outcomes (result described deeply or exception type, then every argument's state), as
 * {@code ./quasi validate} compares them. Everything runs on the shadow's {@link Worker} thread with a time limit,
 * the descriptions of arguments and outcomes too (they run the program's {@code toString}s).
 *
 * <p>The original runs through a method handle of the method's own lookup, so the comparison is with what the method
 * returns for these arguments now; the program's own call then runs the method's code as usual (a third run), which
 * this trial does not observe. Two original runs that differ (another thread changed what the method reads, say) make
 * the invocation "nondeterministic", not compared.
 */
final class ShadowTrial {
  /** Time the original may take; the residual code gets three times as much, the specializer four. */
  static final Duration LIMIT = Duration.ofSeconds(2);

  private final Worker worker;
  private final ShadowTally tally;
  private final ShadowedMethod m;
  private final long seed;
  private final Object[] arguments;
  private final MethodHandles.Lookup lookup;

  ShadowTrial(final Worker worker, final ShadowTally tally, final ShadowedMethod m, final long seed,
      final Object[] arguments, final MethodHandles.Lookup lookup) {
    this.worker = worker;
    this.tally = tally;
    this.m = m;
    this.seed = seed;
    this.arguments = arguments;
    this.lookup = lookup;
  }

  void run() throws ReflectiveOperationException {
    final Method method = method();
    final Random r = new Random(seed);
    final int mask = r.nextInt();
    // Describing runs the program's code (a toString), which may take long: on the worker, within the limit, never
    // on the program's thread for longer than that (the validator met a toString of minutes in TeaVM's classes).
    final Worker.Run described = worker.run(quiet(() -> describeEach(arguments)), LIMIT);
    if (described.ending() != Worker.Ending.RETURNED) {
      tally.skipped("describing the arguments " + ending(described).replaceFirst(" at .*", ""));
      return;
    }
    final String[] texts = (String[]) described.value();
    final List<Object> unknown = new ArrayList<>();
    final List<String> knownText = new ArrayList<>();
    final List<String> unknownText = new ArrayList<>();
    final SpecializationRequest<?> ready;
    try {
      SpecializationRequest<Object> request = Specializer.of(lookup).method(method);
      for (int i = 0; i < arguments.length; i++) {
        if ((mask & (1 << i)) != 0) {
          request = request.known(i, arguments[i]);
          knownText.add(i + "=" + texts[i]);
        } else {
          unknown.add(arguments[i]);
          unknownText.add(i + "=" + texts[i]);
        }
      }
      ready = request.as(Arities.ofArity(unknown.size()));
    } catch (IllegalArgumentException e) {
      tally.crashed(new Crash(m.display(), seed, "shadow", "the specialization request refused the actual "
          + "arguments: " + e.getMessage()));
      return;
    }
    final Worker.Run made = worker.run(quiet(ready::specialize), LIMIT.multipliedBy(4));
    if (made.ending() != Worker.Ending.RETURNED) {
      if (made.ending() == Worker.Ending.THREW && made.thrown() instanceof SpecializationDeclined d) {
        tally.declined(d.reason());
      } else {
        tally.crashed(new Crash(m.display(), seed, "specialize", ending(made)));
      }
      return;
    }
    tally.specialized();
    final Specialization<?> s = (Specialization<?>) made.value();
    // Fixed arity: a varargs method's handle would otherwise collect the array argument into another array.
    final MethodHandle original = lookup.unreflect(method).asFixedArity();
    final Worker.Run first = worker.run(quiet(() -> invoke(original, arguments)), LIMIT);
    if (first.ending() == Worker.Ending.TIMED_OUT || first.ending() == Worker.Ending.OUT_OF_MEMORY
        || first.thrown() instanceof StackOverflowError) {
      tally.skipped("the original " + ending(first).replaceFirst(" at .*", ""));
      return;
    }
    final String before = outcome(first, LIMIT);
    final String again = outcome(worker.run(quiet(() -> invoke(original, arguments)), LIMIT), LIMIT);
    if (before == null || again == null) {
      tally.skipped("describing the original's outcome did not finish within the time limit");
      return;
    }
    if (!again.equals(before)) {
      tally.skipped("nondeterministic: two runs of the original on the same arguments differ");
      return;
    }
    final Object[] rest = unknown.toArray();
    final Worker.Run residual = worker.run(quiet(() -> Arities.call(s.function(), rest)), LIMIT.multipliedBy(3));
    if (residual.ending() == Worker.Ending.OUT_OF_MEMORY) {
      tally.skipped("the residual code exhausted memory (the heap is the program's)");
      return;
    }
    // A description of the residual code's outcome that does not finish in three times the original's limit is an
    // outcome of its own, which differs: an equal value would have been described as fast.
    final String residualText = outcome(residual, LIMIT.multipliedBy(3));
    final String after = residualText != null ? residualText
        : "describing the outcome did not finish within the time limit";
    if (before.equals(after)) {
      tally.agreed();
    } else {
      tally.diverged(new Divergence(m.display(), seed, knownText, unknownText, before, after));
    }
  }

  private Method method() throws NoSuchMethodException {
    Method found = m.method;
    if (found == null) {
      for (final Method x : lookup.lookupClass().getDeclaredMethods()) {
        if (x.getName().equals(m.name) && Type.getMethodDescriptor(x).equals(m.desc)) {
          found = x;
        }
      }
      if (found == null) {
        throw new NoSuchMethodException(m.display() + " is not declared by " + lookup.lookupClass().getName());
      }
      m.method = found;
    }
    return found;
  }

  /** Marks the worker thread as the shadow's while {@code task} runs, so that probes it meets are not sampled. */
  private static <T> Callable<T> quiet(final Callable<T> task) {
    return () -> {
      ShadowRun.IN_SHADOW.set(Boolean.TRUE);
      try {
        return task.call();
      } finally {
        ShadowRun.IN_SHADOW.remove();
      }
    };
  }

  private static Object invoke(final MethodHandle h, final Object[] arguments) throws Exception {
    try {
      return h.invokeWithArguments(arguments);
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): a Throwable that is neither an Exception nor an Error; its type is kept as cause.
      throw new UndeclaredThrowableException(t);
    }
  }

  /** {@code run}'s outcome described on the worker within {@code limit}, or null when the description did not end. */
  private String outcome(final Worker.Run run, final Duration limit) {
    final Worker.Run described = worker.run(quiet(() -> run.outcome(arguments)), limit);
    return described.ending() == Worker.Ending.RETURNED ? (String) described.value() : null;
  }

  private static String[] describeEach(final Object[] arguments) {
    final String[] texts = new String[arguments.length];
    for (int i = 0; i < arguments.length; i++) {
      texts[i] = Describer.describe(arguments[i]);
    }
    return texts;
  }

  /** How a run ended, with the innermost frame of what it threw (shadow reports stay one line per crash). */
  private static String ending(final Worker.Run run) {
    return run.inWords(1);
  }
}
