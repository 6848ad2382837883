package org.quasi.typeguard.internal;

import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;

/**
 * TG209 {@code jni-native}: native methods that can reach a quasi-invariant through JNI {@code Set<Type>Field}.
 * Always "possible": what native code does is not in the class path.
 *
 * @implNote JNI code can reach any class through {@code FindClass} and any object held in a static field; no
 *     bytecode scan can see that. Reported are the native methods whose receiver or parameter types can hold an
 *     instance of the declaring class (for an instance field), and the native methods of the declaring class (for a
 *     static field). Parameters typed only as {@code Object}, {@code Serializable}, {@code Cloneable} or arrays of
 *     them are not counted: every such native (such as {@code System.arraycopy} or {@code Object.clone}) would then
 *     reach every field; Unsafe, the main such API, has its own rules.
 */
final class NativeRule {

  /** Types that every object is. */
  private static final Set<String> UNIVERSAL = Set.of("java/lang/Object", "java/io/Serializable",
      "java/lang/Cloneable");

  private final Targets targets;
  private final Hierarchy hierarchy;

  NativeRule(final Targets targets, final Hierarchy hierarchy) {
    this.targets = targets;
    this.hierarchy = hierarchy;
  }

  /**
   * Matches a method of a scanned class.
   *
   * @param node the class
   * @param method the method
   * @param sites site factory of the class
   * @param sink receives findings
   */
  void matchMethod(final ClassNode node, final MethodNode method, final SiteFactory sites,
      final Consumer<Finding> sink) {
    if ((method.access & Opcodes.ACC_NATIVE) == 0) {
      return;
    }
    for (final Targets.Target t : targets.all()) {
      if (reaches(node, method, t)) {
        sink.accept(new Finding(t.id(), FindingKind.JNI_NATIVE, Certainty.POSSIBLE, sites.methodSite(method),
            "native " + method.name + method.desc, "native method " + method.name + method.desc
                + " can reach an instance or the class of " + t.id().owner() + " and may set the field through JNI"));
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
}
