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
import org.quasi.specializer.validate.internal.MethodResult;
import org.quasi.specializer.validate.internal.MethodTrials;
import org.quasi.specializer.validate.internal.ProbeLoader;
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
 * different outcomes on two equal inputs (nondeterministic). Each skip is counted by reason in the report.
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

  private Validator(final List<String> classPath, final Pattern include, final int trials, final long seed,
      final Duration limit, final Consumer<String> progress, final org.quasi.specializer.JdkPolicy jdkPolicy) {
    this.classPath = classPath;
    this.include = include;
    this.trials = trials;
    this.seed = seed;
    this.limit = limit;
    this.progress = progress;
    this.jdkPolicy = jdkPolicy;
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
        org.quasi.specializer.JdkPolicy.CALL_ONLY);
  }

  /** Validates only the classes whose binary name contains a match of {@code regex}. */
  public Validator include(final Pattern regex) {
    return new Validator(classPath, Objects.requireNonNull(regex, "regex"), trials, seed, limit, progress,
        jdkPolicy);
  }

  /** Sets the number of trials (random splits and values) per method, at least 1. */
  public Validator trials(final int n) {
    if (n < 1) {
      throw new IllegalArgumentException("trials must be at least 1, got " + n);
    }
    return new Validator(classPath, include, n, seed, limit, progress, jdkPolicy);
  }

  /** Sets the seed every trial's split and values derive from: the same seed repeats the same run. */
  public Validator seed(final long s) {
    return new Validator(classPath, include, trials, s, limit, progress, jdkPolicy);
  }

  /**
   * Sets the time one run of library code may take (specializing and the residual code may take ten times as long).
   */
  public Validator timeLimit(final Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the time limit must be positive, got " + d);
    }
    return new Validator(classPath, include, trials, seed, d, progress, jdkPolicy);
  }

  /** Sets which JDK packages the specializer may specialize into (default: none, JDK methods are called). */
  public Validator jdkPolicy(final org.quasi.specializer.JdkPolicy policy) {
    return new Validator(classPath, include, trials, seed, limit, progress,
        Objects.requireNonNull(policy, "policy"));
  }

  /** Sets a listener told the name of each class as it is validated (the default does nothing). */
  public Validator progress(final Consumer<String> listener) {
    return new Validator(classPath, include, trials, seed, limit, Objects.requireNonNull(listener, "listener"),
        jdkPolicy);
  }

  /**
   * Runs the validation.
   *
   * @throws IllegalArgumentException when a class path entry does not exist or is unreadable
   */
  public ValidationReport run() {
    final List<String> names = ClassPathScanner.classNames(classPath).stream()
        .filter(n -> include.matcher(n).find()).toList();
    final List<MethodResult> results = new ArrayList<>();
    final List<String> unloadable = new ArrayList<>();
    try (ProbeLoader loader = new ProbeLoader(ClassPathScanner.urls(classPath),
        Validator.class.getClassLoader()); Worker worker = new Worker()) {
      final EffectScreen effects = new EffectScreen(loader);
      final MethodTrials methodTrials = new MethodTrials(worker, effects, limit, jdkPolicy);
      for (final String name : names) {
        final Class<?> c;
        try {
          c = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          unloadable.add(name + ": " + e);
          continue;
        }
        if (!Modifier.isPublic(c.getModifiers()) || c.isSynthetic() || c.isAnonymousClass() || c.isLocalClass()) {
          continue;
        }
        progress.accept(name);
        try {
          validate(c, loader, methodTrials, effects, results);
        } catch (OutOfMemoryError e) {
          // Screening the class exhausted the heap (abandoned workers may hold some): skip it, go on. Left to escape,
          // the error would also be rethrown by the loader's close and end the run without a report.
          results.add(MethodResult.notValidated(name, "exhausted memory in the harness while screening the class"));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot close the class loader: " + e.getMessage(), e);
    }
    return ValidationReport.of(seed, trials, names.size(), unloadable, results);
  }

  private void validate(final Class<?> c, final ProbeLoader loader, final MethodTrials methodTrials,
      final EffectScreen effects,
      final List<MethodResult> results) {
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
      } catch (OutOfMemoryError e) {
        // The harness itself ran out (describing a huge result, say): this method is skipped, the run goes on.
        results.add(MethodResult.notValidated(name, "exhausted memory in the harness"));
      }
    }
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
