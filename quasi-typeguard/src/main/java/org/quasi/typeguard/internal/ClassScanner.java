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
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;
import org.quasi.typeguard.Problem;

/**
 * Scans one class file for the quasi-invariants of a run. A cheap byte search first decides whether the class can
 * mention any quasi-invariant or hole API at all; only then is its code read (with {@link ClassReader#SKIP_FRAMES}).
 * Other classes are read without code, just to look at their native methods. Thread-safe: one scanner serves all
 * threads.
 */
public final class ClassScanner {

  /** Types that every object is, so a native method taking one reaches everything; see {@link #jni}. */
  private static final Set<String> UNIVERSAL = Set.of("java/lang/Object", "java/io/Serializable",
      "java/lang/Cloneable");

  private final Targets targets;
  private final Hierarchy hierarchy;
  private final boolean reads;
  private final Consumer<Finding> sink;
  private final byte[][] needles;

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
    this.hierarchy = hierarchy;
    this.reads = reads;
    this.sink = sink;
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
    try {
      final ClassReader reader = new ClassReader(file.bytes());
      final ClassNode node = new ClassNode();
      final boolean relevant = mentionsAny(file.bytes());
      reader.accept(node, relevant ? ClassReader.SKIP_FRAMES : ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
      final SiteFactory sites = new SiteFactory(node, file);
      jni(node, sites);
      if (relevant) {
        scanCode(node, sites);
      }
      return null;
    } catch (RuntimeException e) {
      // ASM throws unchecked exceptions of several types on malformed input; the class is skipped and reported.
      return new Problem(Problem.Kind.UNPARSABLE_CLASS, file.entry() + "!" + file.path(),
          "Class file " + file.path() + " in " + file.entry() + " cannot be parsed (" + e + "); skipped.");
    }
  }

  private void scanCode(final ClassNode node, final SiteFactory sites) {
    final MethodScanner scanner = new MethodScanner(node.name, targets, reads, sites, sink);
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
      final boolean wanted = flows.containsKey(m);
      scanner.scan(m, flows.get(m), wanted);
    }
  }

  /**
   * Reports native methods that can reach a quasi-invariant through JNI.
   *
   * @implNote JNI code can reach any class through {@code FindClass} and any object held in a static field; no
   *     bytecode scan can see that. Reported are the native methods whose receiver or parameter types can hold an
   *     instance of the declaring class (for an instance field), and the native methods of the declaring class (for a
   *     static field). Parameters typed only as {@code Object}, {@code Serializable}, {@code Cloneable} or arrays of
   *     them are not counted: every such native (such as {@code System.arraycopy} or {@code Object.clone}) would then
   *     reach every field; Unsafe, the main such API, has its own rules.
   */
  private void jni(final ClassNode node, final SiteFactory sites) {
    for (final MethodNode m : node.methods) {
      if ((m.access & Opcodes.ACC_NATIVE) == 0) {
        continue;
      }
      for (final Targets.Target t : targets.all()) {
        if (reaches(node, m, t)) {
          sink.accept(new Finding(t.id(), FindingKind.JNI_NATIVE, Certainty.POSSIBLE, sites.methodSite(m),
              "native " + m.name + m.desc, "native method " + m.name + m.desc
                  + " can reach an instance or the class of " + t.id().owner() + " and may set the field through JNI"));
        }
      }
    }
  }

  private boolean reaches(final ClassNode node, final MethodNode m, final Targets.Target t) {
    if (t.isStatic()) {
      return node.name.equals(t.owner());
    }
    if ((m.access & Opcodes.ACC_STATIC) == 0 && related(node.name, t.owner())) {
      return true;
    }
    for (final Type p : Type.getArgumentTypes(m.desc)) {
      final Type element = p.getSort() == Type.ARRAY ? p.getElementType() : p;
      if (element.getSort() == Type.OBJECT && related(element.getInternalName(), t.owner())) {
        return true;
      }
    }
    return false;
  }

  private boolean related(final String type, final String declaring) {
    if (UNIVERSAL.contains(type)) {
      return false;
    }
    return hierarchy.isSubtype(type, declaring) != Hierarchy.Tri.NO
        || hierarchy.isSubtype(declaring, type) != Hierarchy.Tri.NO;
  }

  private boolean mentionsAny(final byte[] bytes) {
    for (final byte[] needle : needles) {
      if (indexOf(bytes, needle)) {
        return true;
      }
    }
    return false;
  }

  private static boolean indexOf(final byte[] haystack, final byte[] needle) {
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
