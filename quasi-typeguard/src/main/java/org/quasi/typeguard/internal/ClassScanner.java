package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.Problem;

/**
 * Scans one class file for the quasi-invariants of a run. A cheap byte search first decides whether the class can
 * mention any quasi-invariant or hole API at all; only then is its code read (with {@link ClassReader#SKIP_FRAMES}).
 * Other classes are read without code, just to look at their native methods. Thread-safe: one scanner serves all
 * threads.
 */
public final class ClassScanner {

  private final Targets targets;
  private final boolean reads;
  private final Consumer<Finding> sink;
  private final byte[][] needles;
  private final NativeRule natives;
  private final ThisEscapes thisEscapes;

  /**
   * Creates the scanner.
   *
   * @param targets the quasi-invariants
   * @param hierarchy class headers
   * @param reads whether to report reads
   * @param sink receives findings, from any thread
   */
  public ClassScanner(final Targets targets, final Hierarchy hierarchy, final boolean reads,
      final Consumer<Finding> sink) {
    this.targets = targets;
    this.reads = reads;
    this.sink = sink;
    this.natives = new NativeRule(targets, hierarchy);
    this.thisEscapes = new ThisEscapes(hierarchy, targets);
    final List<String> words = new ArrayList<>(HoleApis.NEEDLES);
    for (final Targets.Target t : targets.all()) {
      words.add(t.name());
    }
    this.needles = words.stream().distinct().map(w -> w.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toArray(byte[][]::new);
  }

  /**
   * Scans a class.
   *
   * @param file the class file
   * @return a problem if the class could not be parsed (it is then skipped), else {@code null}
   */
  public Problem scan(final ClassFile file) {
    final ClassNode node = new ClassNode();
    final boolean relevant = mentionsAny(file.bytes());
    try {
      new ClassReader(file.bytes())
          .accept(node, relevant ? ClassReader.SKIP_FRAMES : ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
    } catch (RuntimeException e) {
      // ASM throws unchecked exceptions of several types on malformed input; the class is skipped and reported.
      return new Problem(Problem.Kind.UNPARSABLE_CLASS, file.entry() + "!" + file.path(),
          "Class file " + file.path() + " in " + file.entry() + " cannot be parsed (" + e + "); skipped.");
    }
    try {
      final SiteFactory sites = new SiteFactory(node, file);
      for (final MethodNode m : node.methods) {
        natives.matchMethod(node, m, sites, sink);
      }
      if (relevant) {
        scanCode(node, sites);
      }
      return null;
    } catch (RuntimeException e) {
      // DontCheck(IllegalCatch): a bug met on one class must not end the run; the class is reported as skipped.
      return new Problem(Problem.Kind.ANALYSIS_FAILED, file.entry() + "!" + file.path(),
          "Analysing " + file.path() + " in " + file.entry() + " failed (" + e + ", a TypeGuard bug); skipped.");
    }
  }

  private void scanCode(final ClassNode node, final SiteFactory sites) {
    final MethodScanner scanner = new MethodScanner(node.name, targets, reads, sites, sink, thisEscapes);
    final List<MethodNode> triggered = new ArrayList<>();
    for (final MethodNode m : node.methods) {
      if (m.instructions.size() > 0 && scanner.needsFrames(m)) {
        triggered.add(m);
      }
    }
    final Map<MethodNode, MethodScanner.FlowResult> flows = new HashMap<>();
    if (!triggered.isEmpty()) {
      final Set<String> finalFields = new HashSet<>();
      for (final FieldNode f : node.fields) {
        if ((f.access & Opcodes.ACC_FINAL) != 0) {
          finalFields.add(f.name + ":" + f.desc);
        }
      }
      // First pass: find handles kept in fields of this class. Second pass (only if there are any): trace them.
      final Map<String, Set<Atom>> holders = new HashMap<>();
      for (final MethodNode m : triggered) {
        final MethodScanner.FlowResult flow = scanner.analyze(m, Map.of(), finalFields);
        flows.put(m, flow);
        if (flow != null) {
          scanner.collectHolders(m, flow, holders);
        }
      }
      if (!holders.isEmpty()) {
        for (final MethodNode m : triggered) {
          flows.put(m, scanner.analyze(m, holders, finalFields));
        }
      }
    }
    for (final MethodNode m : node.methods) {
      scanner.scan(m, flows.get(m));
    }
  }

  private boolean mentionsAny(final byte[] bytes) {
    for (final byte[] needle : needles) {
      if (contains(bytes, needle)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code needle} occurs in {@code haystack}: the constant-pool pre-filter, which also serves the search for
   * {@code @QuasiInvariant} in {@link Analysis}.
   */
  static boolean contains(final byte[] haystack, final byte[] needle) {
    final byte first = needle[0];
    final int last = haystack.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
