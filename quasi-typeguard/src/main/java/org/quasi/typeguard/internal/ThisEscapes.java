package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;

/**
 * Where {@code this} escapes in a constructor: it is passed to a method (a call on {@code this} included, since the
 * method may be overridden or keep it), captured by an {@code invokedynamic}, or stored into a field or an array. The
 * super or this constructor call counts as an escape when that constructor lets {@code this} escape, which is decided
 * by analysing it in turn (answers are cached; thread-safe).
 *
 * @implNote A constructor whose class file is missing or cannot be analysed is taken to let {@code this} escape.
 *     {@code java.lang.Object()} does not.
 */
final class ThisEscapes {

  private final Hierarchy hierarchy;
  private final Targets targets;
  private final Map<String, Boolean> leaks = new ConcurrentHashMap<>();

  ThisEscapes(final Hierarchy hierarchy, final Targets targets) {
    this.hierarchy = hierarchy;
    this.targets = targets;
  }

  /**
   * Finds the instructions at which {@code this} escapes.
   *
   * @param method a constructor
   * @param frames its frames from a {@link ProvenanceInterpreter} analysis
   * @return the instruction indexes
   */
  List<Integer> escapes(final MethodNode method, final Frame<Provenance>[] frames) {
    return escapes(method, frames, new HashSet<>());
  }

  private List<Integer> escapes(final MethodNode method, final Frame<Provenance>[] frames, final Set<String> visiting) {
    final List<Integer> escapes = new ArrayList<>();
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      final Frame<Provenance> frame = frames[i];
      if (frame != null && escapesAt(insn, frame, visiting)) {
        escapes.add(i);
      }
    }
    return escapes;
  }

  private boolean escapesAt(final AbstractInsnNode insn, final Frame<Provenance> frame, final Set<String> visiting) {
    if (insn instanceof MethodInsnNode m) {
      final boolean receiver = m.getOpcode() != Opcodes.INVOKESTATIC;
      final int count = Type.getArgumentTypes(m.desc).length + (receiver ? 1 : 0);
      for (int k = 0; k < count; k++) {
        if (!top(frame, count - 1 - k).mayBeThis()) {
          continue;
        }
        final boolean constructorCall = receiver && k == 0 && m.getOpcode() == Opcodes.INVOKESPECIAL
            && "<init>".equals(m.name);
        if (!constructorCall || leaks(m.owner, m.desc, visiting)) {
          return true;
        }
      }
      return false;
    }
    if (insn instanceof InvokeDynamicInsnNode indy) {
      final int count = Type.getArgumentTypes(indy.desc).length;
      for (int k = 0; k < count; k++) {
        if (top(frame, k).mayBeThis()) {
          return true;
        }
      }
      return false;
    }
    final int op = insn.getOpcode();
    return (op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC || op == Opcodes.AASTORE) && top(frame, 0).mayBeThis();
  }

  /** Whether the constructor {@code owner.<init>desc} lets {@code this} escape. */
  private boolean leaks(final String owner, final String desc, final Set<String> visiting) {
    if ("java/lang/Object".equals(owner)) {
      return false;
    }
    final String key = owner + "." + desc;
    final Boolean known = leaks.get(key);
    if (known != null) {
      return known;
    }
    if (!visiting.add(key)) {
      return true; // a cycle cannot be verified code; be safe
    }
    final boolean result = analyse(owner, desc, visiting);
    visiting.remove(key);
    leaks.put(key, result);
    return result;
  }

  private boolean analyse(final String owner, final String desc, final Set<String> visiting) {
    final byte[] bytes = hierarchy.bytes(owner);
    if (bytes == null) {
      return true;
    }
    try {
      final ClassNode node = new ClassNode();
      new ClassReader(bytes).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      for (final MethodNode m : node.methods) {
        if ("<init>".equals(m.name) && desc.equals(m.desc)) {
          final Frame<Provenance>[] frames = new Analyzer<>(
              new ProvenanceInterpreter(owner, targets, Map.of(), Set.of())).analyze(owner, m);
          return !escapes(m, frames, visiting).isEmpty();
        }
      }
      return true; // no such constructor: the class path does not match what the caller was compiled against
    } catch (AnalyzerException | RuntimeException e) {
      return true;
    }
  }

  private static Provenance top(final Frame<Provenance> frame, final int depth) {
    return frame.getStack(frame.getStackSize() - 1 - depth);
  }
}
