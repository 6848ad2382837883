package org.quasi.specializer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The residual code of one specialization, described: the heap facts it relies on, what specialization did, and the
 * residual method as readable bytecode (rendered on first request: most programs never ask).
 *
 * @since 0.1
 */
public final class ResidualCode {
  private final List<Dependency> dependencies;
  private final SpecializationSummary summary;
  private final byte[] classFile;
  /** The template the code was made from (opaque), or null. */
  private final Object template;
  private Supplier<String> render;
  private String dump;

  ResidualCode(final List<Dependency> dependencies, final SpecializationSummary summary,
      final Supplier<String> render, final byte[] classFile, final Object template) {
    this.dependencies = dependencies;
    this.template = template;
    this.summary = summary;
    this.render = render;
    this.classFile = classFile;
  }

  /** Returns the folded heap reads, in the order they were first made. */
  public List<Dependency> dependencies() {
    return dependencies;
  }

  /** Returns what specialization did, in numbers. */
  public SpecializationSummary summary() {
    return summary;
  }

  /** Returns the residual method as text (ASM Textifier), the known constants it loads listed first. */
  public synchronized String dump() {
    if (dump == null) {
      dump = render.get();
      render = null;
    }
    return dump;
  }

  /**
   * Returns whether this code was made without evaluating: an earlier request's for the same method, with the same
   * known primitives and assumed fields, whose record of what it read from the heap read the same on this request's
   * objects (same values, classes and identities), so that evaluating again would have given the same code.
   */
  public boolean fromTemplate() {
    return template != null;
  }

  /**
   * Returns, for code made from a template ({@link #fromTemplate()}), an opaque object that is the same for every
   * specialization made from that template and for no other; {@code null} for evaluated code. Specializations with
   * the same template have the same class file and dependencies of the same kinds on the same fields, in the same
   * order: only the objects and values differ. A version manager may keep what it derived from the fields alone
   * (how to re-read them, whether their writes are guarded) under this key.
   */
  public Object template() {
    return template;
  }

  /**
   * Returns the fields the residual code writes ({@code putfield} and {@code putstatic}), each once, in the order
   * the class file has them, as {@code Owner.field} with the owner's binary name: what a version manager checks
   * against the fields versions rely on (residual code is not woven with guards). Read from the class file once per
   * class file: specializations made from one template or memoized code share it.
   */
  public List<String> fieldsWritten() {
    synchronized (WRITES) {
      final List<String> known = WRITES.get(classFile);
      if (known != null) {
        return known;
      }
    }
    final Set<String> found = new LinkedHashSet<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(final int access, final String name, final String desc,
          final String signature, final String[] exceptions) {
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitFieldInsn(final int opcode, final String owner, final String field, final String fd) {
            if (opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC) {
              found.add(Type.getObjectType(owner).getClassName() + "." + field);
            }
          }
        };
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    final List<String> writes = List.copyOf(found);
    synchronized (WRITES) {
      WRITES.put(classFile, writes);
    }
    return writes;
  }

  /** Fields written, by class file (arrays compare by identity; entries go with their class file). */
  private static final Map<byte[], List<String>> WRITES = new WeakHashMap<>();

  /** Returns the hidden class's class file (a copy). */
  public byte[] classFile() {
    return classFile.clone();
  }
}
