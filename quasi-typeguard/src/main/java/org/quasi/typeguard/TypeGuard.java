package org.quasi.typeguard;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import org.quasi.typeguard.internal.Analysis;
import org.quasi.typeguard.spec.QuasiSpec;
import org.quasi.typeguard.spec.SpecEntry;

/**
 * Finds every place in a class path that writes, or opens a way to write, a quasi-invariant field: the paper's
 * TypeGuard (§3.2), for Java. Besides {@code putfield}/{@code putstatic} (resolved as the JVM resolves them, JVMS
 * 5.4.3.2) it names Java's holes: reflection, method and var handles, field updaters, Unsafe, JNI, serialization, and
 * escaping quasi-invariant arrays. See {@link FindingKind} for the rules.
 *
 * <p>Example (the same run as {@code TypeGuardFixtureTest#writesOfUidAreFound}):
 * <pre>{@code
 * TypeGuardReport report = TypeGuard.builder()
 *     .classPath(List.of(Path.of("target/classes")))
 *     .field("com.example.Task.uid")
 *     .build()
 *     .analyze();
 * report.findingsBeyondAllowed().forEach(System.out::println);
 * }</pre>
 *
 * <p>The builder is immutable: every method returns a new builder. A {@code TypeGuard} may be run more than once; each
 * run reads the class path afresh.
 *
 * @implNote The analysis is intra-procedural: a {@code Field}, handle or offset is traced through locals, casts,
 *     constants and final fields of the same class; one that crosses a method or class boundary becomes unknown, and
 *     a write through it is reported as "possible" ({@code Field.set}) or is covered by the report of the place the
 *     handle or offset was made (VarHandles, Unsafe). Fields are matched by name and descriptor, so the report does
 *     not depend on which class loader would load what.
 * @since 0.1
 */
public final class TypeGuard {

  private final Builder config;

  private TypeGuard(final Builder config) {
    this.config = config;
  }

  /** {@return an empty builder: no class path, no JDK, no fields, annotations discovered, reads off} */
  public static Builder builder() {
    return new Builder(List.of(), false, Set.of(), Map.of(), true, false, FindingKind.DEFAULT_ALLOWED,
        Runtime.getRuntime().availableProcessors(), ProgressListener.NONE);
  }

  /**
   * Runs the analysis. Never throws for bad input: unreadable entries, unparsable classes and unknown fields become
   * {@link Problem}s of the report.
   *
   * @return the report
   */
  public TypeGuardReport analyze() {
    final ForkJoinPool pool = new ForkJoinPool(Math.max(1, config.parallelism));
    try {
      // Everything runs inside the pool, so the parallel streams of the analysis use this run's threads only.
      return pool.submit(this::run).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("The analysis was interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("The analysis failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdown();
    }
  }

  private TypeGuardReport run() {
    final Analysis analysis = new Analysis(config.classPath, config.includeJdk, config.jdkModules, config.fields,
        config.annotations, config.reads);
    final ConcurrentLinkedQueue<Finding> findings = new ConcurrentLinkedQueue<>();
    final AtomicLong done = new AtomicLong();
    final int total = analysis.classCount();
    analysis.scanAll(findings::add, () -> {
      final long n = done.incrementAndGet();
      if ((n & 255) == 0 || n == total) {
        config.progress.progress(n, total);
      }
    });
    return analysis.report(findings, config.allowed);
  }

  /**
   * Configures a run. Immutable: each method returns a new builder.
   *
   * @since 0.1
   */
  public static final class Builder {

    private final List<Path> classPath;
    private final boolean includeJdk;
    private final Set<String> jdkModules;
    private final Map<FieldId, String> fields;
    private final boolean annotations;
    private final boolean reads;
    private final Set<FindingKind> allowed;
    private final int parallelism;
    private final ProgressListener progress;

    private Builder(final List<Path> classPath, final boolean includeJdk, final Set<String> jdkModules,
        final Map<FieldId, String> fields, final boolean annotations, final boolean reads,
        final Set<FindingKind> allowed, final int parallelism, final ProgressListener progress) {
      this.classPath = List.copyOf(classPath);
      this.includeJdk = includeJdk;
      this.jdkModules = Set.copyOf(jdkModules);
      this.fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
      this.annotations = annotations;
      this.reads = reads;
      this.allowed = Set.copyOf(allowed);
      this.parallelism = parallelism;
      this.progress = progress;
    }

    /**
     * {@return a builder analysing these directories and jars, in this order (the first copy of a class wins)}
     *
     * @param entries directories and jars
     */
    public Builder classPath(final Collection<Path> entries) {
      return new Builder(List.copyOf(entries), includeJdk, jdkModules, fields, annotations, reads, allowed,
          parallelism, progress);
    }

    /**
     * {@return a builder that also analyses the running JDK's modules (all of them, or those of
     * {@link #jdkModules})}
     *
     * @param include whether to analyse the JDK
     */
    public Builder includeJdk(final boolean include) {
      return new Builder(classPath, include, jdkModules, fields, annotations, reads, allowed, parallelism, progress);
    }

    /**
     * {@return a builder that, with {@link #includeJdk}, analyses only these JDK modules (empty: all)}
     *
     * @param modules module names such as {@code java.base}
     */
    public Builder jdkModules(final Collection<String> modules) {
      return new Builder(classPath, includeJdk, Set.copyOf(modules), fields, annotations, reads, allowed, parallelism,
          progress);
    }

    /**
     * {@return a builder with one more quasi-invariant}
     *
     * @param qualified {@code Owner.field}, the owner as a binary name ({@code com.x.Outer$Inner})
     * @throws IllegalArgumentException if the text is not of that form
     */
    public Builder field(final String qualified) {
      return field(FieldId.parse(qualified), "command line");
    }

    /**
     * {@return a builder with one more quasi-invariant}
     *
     * @param field the field, by the class that declares it or a subclass
     * @param declaredBy how it was declared, for the report
     */
    public Builder field(final FieldId field, final String declaredBy) {
      final Map<FieldId, String> more = new LinkedHashMap<>(fields);
      more.putIfAbsent(Objects.requireNonNull(field), Objects.requireNonNull(declaredBy));
      return new Builder(classPath, includeJdk, jdkModules, more, annotations, reads, allowed, parallelism, progress);
    }

    /**
     * {@return a builder with the quasi-invariants of a spec file}
     *
     * @param spec the parsed spec
     */
    public Builder spec(final QuasiSpec spec) {
      Builder b = this;
      for (final SpecEntry e : spec.quasiInvariants()) {
        b = b.field(new FieldId(e.owner(), e.name()), e.file() + ":" + e.line());
      }
      return b;
    }

    /**
     * {@return a builder that does (default) or does not add fields annotated {@code @QuasiInvariant} in the
     * analysed code}
     *
     * @param discover whether to discover annotated fields
     */
    public Builder annotations(final boolean discover) {
      return new Builder(classPath, includeJdk, jdkModules, fields, discover, reads, allowed, parallelism, progress);
    }

    /**
     * {@return a builder that does or does not (default) report read sites}
     *
     * @param include whether to report reads
     */
    public Builder reads(final boolean include) {
      return new Builder(classPath, includeJdk, jdkModules, fields, annotations, include, allowed, parallelism,
          progress);
    }

    /**
     * {@return a builder allowing exactly these finding kinds}
     *
     * @param kinds the allowed kinds; {@link FindingKind#DEFAULT_ALLOWED} by default
     */
    public Builder allow(final Collection<FindingKind> kinds) {
      return new Builder(classPath, includeJdk, jdkModules, fields, annotations, reads, Set.copyOf(kinds),
          parallelism, progress);
    }

    /**
     * {@return a builder using this many threads (default: the available processors)}
     *
     * @param threads at least 1
     */
    public Builder parallelism(final int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("Parallelism must be at least 1, got " + threads);
      }
      return new Builder(classPath, includeJdk, jdkModules, fields, annotations, reads, allowed, threads, progress);
    }

    /**
     * {@return a builder reporting progress to this listener}
     *
     * @param listener the listener
     */
    public Builder progress(final ProgressListener listener) {
      return new Builder(classPath, includeJdk, jdkModules, fields, annotations, reads, allowed, parallelism,
          Objects.requireNonNull(listener));
    }

    /** {@return the configured TypeGuard} */
    public TypeGuard build() {
      return new TypeGuard(this);
    }
  }
}
