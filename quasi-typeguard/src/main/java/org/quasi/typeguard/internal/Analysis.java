package org.quasi.typeguard.internal;

import org.quasi.runtime.internal.NearestNames;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.quasi.typeguard.FieldId;
import org.quasi.typeguard.FieldReport;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Problem;
import org.quasi.typeguard.TypeGuardReport;

/**
 * One run of TypeGuard: reads the class path, resolves the quasi-invariants (from the caller and from
 * {@code @QuasiInvariant} annotations), scans every class, and assembles the report.
 */
public final class Analysis {

  private static final byte[] ANNOTATION = Hierarchy.QUASI_INVARIANT_DESC.getBytes(StandardCharsets.UTF_8);

  private final List<ClassFile> files;
  private final List<String> entries = new ArrayList<>();
  private final List<Problem> problems = new ArrayList<>();
  private final ConcurrentLinkedQueue<Problem> scanProblems = new ConcurrentLinkedQueue<>();
  private final Hierarchy hierarchy;
  private final Targets targets;
  private final boolean reads;

  /**
   * Reads the class path and resolves the quasi-invariants.
   *
   * @param classPath directories and jars
   * @param includeJdk whether to analyse the running JDK
   * @param jdkModules which JDK modules (empty: all)
   * @param fields explicitly named fields, with how each was declared
   * @param annotations whether to add annotated fields
   * @param reads whether to report reads
   */
  public Analysis(final List<Path> classPath, final boolean includeJdk, final Set<String> jdkModules,
      final Map<FieldId, String> fields, final boolean annotations, final boolean reads) {
    this.reads = reads;
    final ClassPathReader reader = new ClassPathReader();
    for (final Path p : classPath) {
      reader.addEntry(p);
      entries.add(p.toString());
    }
    if (includeJdk) {
      reader.addJdk(jdkModules);
      entries.add("jrt:/");
    }
    this.files = reader.files();
    problems.addAll(reader.problems());
    final Map<String, ClassFile> index = new HashMap<>();
    for (final ClassFile f : files) {
      if (!f.path().startsWith("META-INF/versions/")) {
        index.putIfAbsent(f.internalName(), f);
      }
    }
    this.hierarchy = new Hierarchy(index);
    final Map<FieldId, String> requested = new LinkedHashMap<>(fields);
    if (annotations) {
      discoverAnnotated(requested);
    }
    this.targets = new Targets(resolve(requested, index.keySet()), hierarchy);
  }

  /** {@return how many class files will be scanned} */
  public int classCount() {
    return targets.all().isEmpty() ? 0 : files.size();
  }

  /**
   * Scans every class, in parallel when called inside a fork-join pool.
   *
   * @param sink receives findings, from any thread
   * @param progress called once per class, from any thread
   */
  public void scanAll(final Consumer<Finding> sink, final Runnable progress) {
    if (targets.all().isEmpty()) {
      return;
    }
    final ClassScanner scanner = new ClassScanner(targets, hierarchy, reads, sink);
    files.parallelStream().forEach(f -> {
      final Problem p = scanner.scan(f);
      if (p != null) {
        scanProblems.add(p);
      }
      progress.run();
    });
  }

  /**
   * Assembles the report.
   *
   * @param findings the findings of {@link #scanAll}
   * @param allowed the allowed kinds
   * @return the report
   */
  public TypeGuardReport report(final Collection<Finding> findings, final Set<FindingKind> allowed) {
    final Map<Integer, Set<Finding>> byTarget = new HashMap<>();
    final SerializationRule serialization = new SerializationRule(hierarchy);
    for (final Targets.Target t : targets.all()) {
      byTarget.put(t.index(), new LinkedHashSet<>());
      final Finding f = serialization.matchField(t);
      if (f != null) {
        byTarget.get(t.index()).add(f);
      }
    }
    final Map<FieldId, Integer> indexOf = new HashMap<>();
    targets.all().forEach(t -> indexOf.put(t.id(), t.index()));
    for (final Finding f : findings) {
      byTarget.get(indexOf.get(f.field())).add(f);
    }
    final List<FieldReport> reports = new ArrayList<>();
    for (final Targets.Target t : targets.all()) {
      reports.add(new FieldReport(t.id(), t.desc(), t.isStatic(), t.declaredBy(),
          new ArrayList<>(byTarget.get(t.index()))));
    }
    final List<Problem> all = new ArrayList<>(problems);
    all.addAll(scanProblems);
    return new TypeGuardReport(reports, all, allowed, entries, classCount(), reads);
  }

  private void discoverAnnotated(final Map<FieldId, String> requested) {
    // The byte search runs over every class of the class path, so it runs in parallel; the order of the
    // declarations stays the class path order.
    final List<ClassInfo> annotated = files.parallelStream()
        .filter(f -> ClassScanner.contains(f.bytes(), ANNOTATION))
        .map(f -> {
          try {
            return Hierarchy.parse(f, true);
          } catch (RuntimeException e) {
            return null; // the scanner reports the unparsable class
          }
        })
        .filter(java.util.Objects::nonNull)
        .toList();
    for (final ClassInfo info : annotated) {
      for (final ClassInfo.FieldDecl d : info.fields()) {
        if (d.quasiInvariant()) {
          requested.putIfAbsent(new FieldId(info.name().replace('/', '.'), d.name()), "@QuasiInvariant");
        }
      }
    }
  }

  private List<Targets.Target> resolve(final Map<FieldId, String> requested, final Set<String> classNames) {
    final Map<FieldId, Targets.Target> out = new LinkedHashMap<>();
    for (final Map.Entry<FieldId, String> e : requested.entrySet()) {
      final FieldId id = e.getKey();
      final ClassInfo owner = hierarchy.info(id.ownerInternalName());
      if (owner == null) {
        final List<String> near = NearestNames.names(id.owner(),
            classNames.stream().map(n -> n.replace('/', '.')).toList(), 3);
        problems.add(new Problem(Problem.Kind.UNKNOWN_CLASS, id.toString(), "Class " + id.owner()
            + " of quasi-invariant " + id + " (" + e.getValue() + ") is not on the class path"
            + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near)) + "; field skipped."));
        continue;
      }
      final Hierarchy.Resolution r = hierarchy.resolveField(id.ownerInternalName(), id.name(), null);
      final ClassInfo declaring = r.declaringClass() == null ? null : hierarchy.info(r.declaringClass());
      if (declaring == null) {
        final List<String> names = new ArrayList<>();
        owner.fields().forEach(d -> names.add(d.name()));
        final List<String> near = NearestNames.names(id.name(), names, 3);
        problems.add(new Problem(Problem.Kind.UNKNOWN_FIELD, id.toString(), "Class " + id.owner()
            + " has no field " + id.name() + " (" + e.getValue() + ")"
            + (near.isEmpty() ? "" : "; nearest: " + String.join(", ", near.stream()
                .map(n -> id.owner() + "." + n).toList())) + "; field skipped."));
        continue;
      }
      final ClassInfo.FieldDecl decl = declaring.field(id.name());
      final FieldId resolved = new FieldId(declaring.name().replace('/', '.'), id.name());
      out.putIfAbsent(resolved, new Targets.Target(out.size(), resolved, decl.desc(), decl.access(), e.getValue()));
    }
    return new ArrayList<>(out.values());
  }
}
