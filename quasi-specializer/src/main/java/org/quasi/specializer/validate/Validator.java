package org.quasi.specializer.validate;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.objectweb.asm.Type;
import org.quasi.specializer.validate.internal.ClassPathScanner;
import org.quasi.specializer.validate.internal.EffectScreen;
import org.quasi.specializer.validate.internal.HeapWatch;
import org.quasi.specializer.validate.internal.MethodResult;
import org.quasi.specializer.validate.internal.MethodTrials;
import org.quasi.specializer.validate.internal.ProbeLoader;
import org.quasi.specializer.validate.internal.SafeClose;
import org.quasi.specializer.validate.internal.Worker;

/**
 * Differential validation of the specializer at scale: for every public method of a class path whose arguments can
 * be generated, random splits of the arguments into known and unknown and random values are drawn; each split is
 * specialized, and the residual code and the original run on equal, distinct inputs and must agree on the result (or
 * exception type) and on the final state of every argument.
 *
 * <pre>{@code
 * ValidationReport report = Validator.of(List.of("lib.jar"))
 *     .include(Pattern.compile("org\\.example\\.")).trials(20).seed(1).run();
 * System.out.print(report.text());
 * }</pre>
 * (The same code runs in {@code ValidatorTest.validatesCorpus}.)
 *
 * <p>Which methods are skipped: non-public methods and classes, synthetic and bridge methods, abstract and native
 * methods, methods with more than eight arguments or an argument type with no generator, instance methods of classes
 * that cannot be instantiated, methods of {@code java.io}/{@code java.nio}/{@code java.net} classes and of library
 * packages named {@code io}, {@code nio}, {@code net}, {@code file(s)} or {@code logging}, methods the side-effect
 * policy of {@link EffectScreen} flags (global state, I/O, randomness, identity), and methods whose original gives
 * different outcomes on two equal inputs (nondeterministic), and, once a run of a class's code timed out and could
 * not be ended, the rest of that class. Each skip is counted by reason in the report.
 *
 * <p>The class path's classes are loaded from it first (not from the validator's own class path, which may hold other
 * copies), with cancellation points that end a run the validator gives up on (see {@code Worker},
 * {@code Cancellation}); constructors get small integral arguments, since they size allocations.
 *
 * <p>Specialization uses a full-privilege lookup in the method's class when the JDK allows one (classes of the class
 * path, through a probe class defined in their loader, see {@link ProbeLoader}), otherwise the validator's own lookup
 * (JDK classes: only their public members are reachable, so a JDK method calling its private helpers is declined, as
 * it would be for any application).
 *
 * <p>Immutable: every configuration method returns a new validator.
 *
 * @since 0.1
 */
public final class Validator {
  private static final Pattern ALL = Pattern.compile("");
  private static final double DEFAULT_HEAP_BUDGET = 0.85;
  private static final List<String> EFFECT_PACKAGES = List.of("java.io.", "java.nio.", "java.net.");
  /** Packages of a library named for I/O (their classes do I/O through virtual calls the screen cannot follow). */
  private static final java.util.regex.Pattern IO_PACKAGE =
      java.util.regex.Pattern.compile("\\.(io|nio|net|file|files|logging)\\.[^.]+$");

  private final List<String> classPath;
  private final Pattern include;
  private final int trials;
  private final long seed;
  private final Duration limit;
  private final Consumer<String> progress;
  private final org.quasi.specializer.JdkPolicy jdkPolicy;
  private final double heapBudget;

  private Validator(final List<String> classPath, final Pattern include, final int trials, final long seed,
      final Duration limit, final Consumer<String> progress, final org.quasi.specializer.JdkPolicy jdkPolicy,
      final double heapBudget) {
    this.classPath = classPath;
    this.include = include;
    this.trials = trials;
    this.seed = seed;
    this.limit = limit;
    this.progress = progress;
    this.jdkPolicy = jdkPolicy;
    this.heapBudget = heapBudget;
  }

  /**
   * Returns a validator of the classes in {@code classPath}: directories, jars, and {@code jrt:/MODULE} for a module of
   * the running JDK. Defaults: every class, 10 trials per method, seed 0, 2 s per run.
   */
  public static Validator of(final List<String> classPath) {
    if (classPath.isEmpty()) {
      throw new IllegalArgumentException("the class path is empty");
    }
    return new Validator(List.copyOf(classPath), ALL, 10, 0, Duration.ofSeconds(2), s -> { },
        org.quasi.specializer.JdkPolicy.CALL_ONLY, DEFAULT_HEAP_BUDGET);
  }

  /** Validates only the classes whose binary name contains a match of {@code regex}. */
  public Validator include(final Pattern regex) {
    return new Validator(classPath, Objects.requireNonNull(regex, "regex"), trials, seed, limit, progress,
        jdkPolicy, heapBudget);
  }

  /** Sets the number of trials (random splits and values) per method, at least 1. */
  public Validator trials(final int n) {
    if (n < 1) {
      throw new IllegalArgumentException("trials must be at least 1, got " + n);
    }
    return new Validator(classPath, include, n, seed, limit, progress, jdkPolicy, heapBudget);
  }

  /** Sets the seed every trial's split and values derive from: the same seed repeats the same run. */
  public Validator seed(final long s) {
    return new Validator(classPath, include, trials, s, limit, progress, jdkPolicy, heapBudget);
  }

  /**
   * Sets the time one run of library code may take (specializing and the residual code may take ten times as long).
   */
  public Validator timeLimit(final Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the time limit must be positive, got " + d);
    }
    return new Validator(classPath, include, trials, seed, d, progress, jdkPolicy, heapBudget);
  }

  /** Sets which JDK packages the specializer may specialize into (default: none, JDK methods are called). */
  public Validator jdkPolicy(final org.quasi.specializer.JdkPolicy policy) {
    return new Validator(classPath, include, trials, seed, limit, progress,
        Objects.requireNonNull(policy, "policy"), heapBudget);
  }

  /** Sets a listener told the name of each class as it is validated (the default does nothing). */
  public Validator progress(final Consumer<String> listener) {
    return new Validator(classPath, include, trials, seed, limit, Objects.requireNonNull(listener, "listener"),
        jdkPolicy, heapBudget);
  }

  /**
   * Sets the share of the maximum heap that may stay in use after a collection (default 0.85): when the heap is
   * fuller between two classes, the run ends there and the report says so (see {@link ValidationReport#endedEarly}).
   */
  public Validator heapBudget(final double share) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("the heap budget must be a share in (0, 1], got " + share);
    }
    return new Validator(classPath, include, trials, seed, limit, progress, jdkPolicy, share);
  }

  /**
   * Runs the validation. Whatever happens while classes are validated, a report is returned: a failure of the harness
   * on a method or class is a {@link Crash} of stage "harness"; when the run cannot go on (the heap stays over its
   * {@linkplain #heapBudget budget}, or the harness fails outside any one class), the report holds what was
   * validated until then and {@link ValidationReport#endedEarly} says why it ended.
   *
   * @throws ClassPathException when a class path entry does not exist or cannot be read
   */
  public ValidationReport run() {
    final List<String> allNames;
    final List<String> names;
    final java.net.URL[] urls;
    try {
      allNames = ClassPathScanner.classNames(classPath);
      names = allNames.stream().filter(n -> include.matcher(n).find()).toList();
      urls = ClassPathScanner.urls(classPath);
    } catch (IllegalArgumentException | java.io.UncheckedIOException e) {
      throw new ClassPathException(e.getMessage(), e);
    }
    final List<MethodResult> results = new ArrayList<>();
    final List<String> unloadable = new ArrayList<>();
    final HeapWatch heap = new HeapWatch(heapBudget);
    final long patience = MethodTrials.patienceMillis(limit);
    boolean outOfMemory = false;
    String ended = null;
    int done = 0;
    ProbeLoader loader = null;
    Worker worker = null;
    try {
      loader = new ProbeLoader(urls, Validator.class.getClassLoader());
      worker = Worker.stopping();
      final EffectScreen effects = new EffectScreen(loader, allNames);
      final MethodTrials methodTrials = new MethodTrials(worker, effects, limit, jdkPolicy);
      for (final String name : names) {
        // A run that timed out and still runs may hold the heap only until it ends: it is waited for first.
        final String over = heap.overBudget(methodTrials::awaitStillRunning);
        if (over != null) {
          ended = over + stillRunning(worker);
          break;
        }
        validateClass(name, loader, methodTrials, effects, results, unloadable, heap, patience);
        done++;
      }
    } catch (RuntimeException | Error e) {
      // DontCheck(IllegalCatch): a fault of the harness outside any one class ends the run, with a report.
      if (HeapWatch.exhausted(e)) {
        // Nothing allocated here: the heap may still be full (see validate); the reason is made below.
        outOfMemory = true;
      } else {
        ended = "the harness failed: " + brief(e);
        results.add(MethodResult.crashed(done < names.size() ? names.get(done) : "(after the last class)",
            "harness", brief(e)));
      }
    } finally {
      // Closed by hand, not by try-with-resources: see SafeClose. A failure to close does not lose the report.
      final Throwable closing = SafeClose.closeAll(null, worker, loader);
      if (closing != null && ended == null) {
        ended = "the harness could not close its class loader: " + brief(closing);
      }
    }
    if (outOfMemory || worker != null && worker.abandoned() > 0) {
      // A run that timed out may still hold the heap, and making the report allocates (its classes load now, too):
      // room first. Temurin 25 once threw OutOfMemoryError here, loading ValidationReport.
      heap.awaitRoom(patience);
    }
    if (outOfMemory) {
      ended = "the harness exhausted memory between classes" + stillRunning(worker);
    }
    final String endedEarly = ended == null ? null
        : "the run ended after " + done + " of " + names.size() + " classes: " + ended;
    final ValidationReport report = ValidationReport.of(seed, trials, names.size(), unloadable, results);
    return worker == null ? report.withHarness(0, 0, List.of(), endedEarly)
        : report.withHarness(worker.abandoned(), worker.stopped(), worker.stillRunning(), endedEarly);
  }

  /** Validates the methods of the class {@code name}; any failure of the harness on it is recorded, not thrown. */
  private void validateClass(final String name, final ProbeLoader loader, final MethodTrials methodTrials,
      final EffectScreen effects, final List<MethodResult> results, final List<String> unloadable,
      final HeapWatch heap, final long patience) {
    final Class<?> c;
    try {
      c = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      unloadable.add(name + ": " + e);
      return;
    }
    if (!Modifier.isPublic(c.getModifiers()) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
      return;
    }
    progress.accept(name);
    try {
      validate(c, loader, methodTrials, effects, results, heap, patience);
    } catch (RuntimeException | Error e) {
      // DontCheck(IllegalCatch): a fault of the harness on this class is reported as a crash; the run goes on.
      if (HeapWatch.exhausted(e)) {
        // Screening the class exhausted the heap (abandoned workers may hold some): skip it, go on; the heap watch
        // ends the run before the next class if the heap stays full. Recording it allocates: room first (see
        // validate).
        heap.awaitRoom(patience);
        results.add(MethodResult.notValidated(name, "exhausted memory in the harness while screening the class"));
      } else if (e instanceof RuntimeException || e instanceof LinkageError || e instanceof StackOverflowError) {
        results.add(MethodResult.crashed(name, "harness", brief(e)));
      } else {
        throw e;
      }
    }
  }

  private void validate(final Class<?> c, final ProbeLoader loader, final MethodTrials methodTrials,
      final EffectScreen effects,
      final List<MethodResult> results, final HeapWatch heap, final long patience) {
    final Method[] methods;
    try {
      methods = c.getDeclaredMethods();
    } catch (LinkageError e) {
      results.add(MethodResult.notValidated(c.getName(), "its methods cannot be listed (" + e + ")"));
      return;
    }
    Arrays.sort(methods, Comparator.comparing(m -> m.getName() + Type.getMethodDescriptor(m)));
    final MethodHandles.Lookup lookup = lookupIn(c, loader);
    for (final Method m : methods) {
      final int mod = m.getModifiers();
      if (!Modifier.isPublic(mod) || m.isSynthetic() || m.isBridge() || Modifier.isAbstract(mod)) {
        continue;
      }
      final String name = MethodTrials.name(m);
      String why = Modifier.isNative(mod) ? "native method" : null;
      if (why == null && (EFFECT_PACKAGES.stream().anyMatch(c.getName()::startsWith)
          || IO_PACKAGE.matcher(c.getName()).find())) {
        why = "class in an I/O package";
      }
      if (why == null && methodTrials.stillRunningIn(c)) {
        why = "a run of this class that timed out could not be stopped and is still running";
      }
      try {
        if (why == null) {
          why = methodTrials.argumentProblem(m);
        }
        if (why == null) {
          why = effects.problem(Type.getInternalName(c), m.getName(), Type.getMethodDescriptor(m));
        }
        if (why != null) {
          results.add(MethodResult.notValidated(name, why));
          continue;
        }
        results.add(methodTrials.run(m, lookup, seed, trials));
      } catch (RuntimeException | Error e) {
        // DontCheck(IllegalCatch): a fault of the harness on this method is reported as a crash; the run goes on.
        if (HeapWatch.exhausted(e)) {
          // The harness itself ran out (describing a huge result, say): this method is skipped, the run goes on.
          // The heap may be full of what a run that timed out still holds: ejml's
          // QRDecompositionHouseholderColumn_DDRM.setExpectedMaxSize(n, m) on drawn sizes allocates double[m][n] in
          // the JVM (no cancellation point, no Thread.stop) for seconds past its time limit, and each allocation of
          // the harness failed, up to the run's end without a report. Recording the skip allocates: it waits for room
          // first.
          heap.awaitRoom(patience);
          results.add(MethodResult.notValidated(name, "exhausted memory in the harness"));
        } else if (e instanceof TypeNotPresentException
            || e instanceof java.lang.reflect.MalformedParameterizedTypeException
            || e instanceof java.lang.reflect.GenericSignatureFormatError || e instanceof NoClassDefFoundError) {
          // Its generic signature or a type it names cannot be resolved from the class path: an input gap, not a
          // fault of the harness.
          results.add(MethodResult.notValidated(name, "a type in its signature cannot be loaded (" + e + ")"));
        } else if (e instanceof RuntimeException || e instanceof LinkageError || e instanceof StackOverflowError) {
          results.add(MethodResult.crashed(name, "harness", brief(e)));
        } else {
          throw e;
        }
      }
    }
  }

  /** ", with N runs that timed out still running (in C, D)" when the worker has such threads, else "". */
  private static String stillRunning(final Worker worker) {
    final List<String> owners = worker == null ? List.of() : worker.stillRunning();
    return owners.isEmpty() ? "" : ", with " + owners.size() + " runs that timed out still running (in "
        + String.join(", ", new java.util.TreeSet<>(owners)) + ")";
  }

  /** The throwable and its four innermost frames: enough to find the harness's line in a report. */
  private static String brief(final Throwable t) {
    final StringBuilder b = new StringBuilder(String.valueOf(t));
    final StackTraceElement[] trace = t.getStackTrace();
    for (int i = 0; i < Math.min(4, trace.length); i++) {
      b.append(" at ").append(trace[i]);
    }
    return b.toString();
  }

  /**
   * A full-privilege lookup in {@code c}: through the probe for classes of the validated class path, directly for
   * classes the validator's own loader provides (a test's classes), else the validator's own lookup (the JDK).
   */
  private static MethodHandles.Lookup lookupIn(final Class<?> c, final ProbeLoader loader) {
    final MethodHandles.Lookup own = loader.lookupIn(c);
    if (own != null) {
      return own;
    }
    try {
      final MethodHandles.Lookup direct = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
      if (direct.hasFullPrivilegeAccess()) {
        return direct;
      }
    } catch (IllegalAccessException | SecurityException e) {
      // The JDK's packages are not open to us: validate with our own lookup (public members only).
    }
    return MethodHandles.lookup();
  }
}
