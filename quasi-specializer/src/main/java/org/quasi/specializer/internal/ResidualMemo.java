package org.quasi.specializer.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The assembled class of earlier specializations, by their residual code as partial evaluation left it (before the
 * clean-up passes, the allocation of locals and assembly). A version manager specializes the same entry point again
 * and again for new keys of the same shape (each run's kernel, each session's parser): partial evaluation then
 * emits the same instructions, referring to other known objects by the same class-data indexes, and everything
 * after it would repeat its work to the same bytes.
 *
 * <p><b>Why reusing the bytes is sound.</b> What follows partial evaluation reads nothing but the residual code, its
 * exception table, the residual methods of callees specialized apart, the residual method's type and interface, and
 * class metadata through the lookup class's loader (what a name resolves to, what a class declares) which does not
 * change, and whether a class is initialized, which only ever turns true: bytes made when a class was not yet
 * initialized keep an initialization trigger that later bytes might drop, and a trigger of an initialized class
 * does nothing. Class-data constants are named by index and declared type only; their values are the new request's.
 *
 * <p>Only requests whose lookup has full privilege access are memoized (the engine checks), so the lookup class
 * alone stands for the access assembly saw. A key that cannot be built (an instruction kind the encoding does not
 * know) is not memoized. At most
 * {@link #MAX_ENTRIES} entries are kept per lookup class, the least recently used dropped first. Thread-safe.
 */
final class ResidualMemo {
  /** Entries per lookup class. */
  static final int MAX_ENTRIES = 64;

  /** What the rest of the pipeline made of one residual code: the class file and its instruction count. */
  record Assembled(byte[] classFile, int instructions) {
  }

  private static final ClassValue<Map<List<Object>, Assembled>> BY_LOOKUP = PerLookup.lru(MAX_ENTRIES);

  private ResidualMemo() {
  }

  /** The assembled result memoized for {@code key} in {@code lookupClass}, or null. */
  static Assembled find(final Class<?> lookupClass, final List<Object> key) {
    final Map<List<Object>, Assembled> m = BY_LOOKUP.get(lookupClass);
    synchronized (m) {
      return m.get(key);
    }
  }

  /** Memoizes {@code assembled} for {@code key} in {@code lookupClass}. */
  static void put(final Class<?> lookupClass, final List<Object> key, final Assembled assembled) {
    final Map<List<Object>, Assembled> m = BY_LOOKUP.get(lookupClass);
    synchronized (m) {
      m.put(key, assembled);
    }
  }

  /**
   * The key of a request's residual code before clean-up: the entry method, the residual method's descriptor and
   * interface, its parameter slots, its instructions and exception table, and the callees' residual methods; or null
   * when some instruction cannot be encoded.
   */
  static List<Object> key(final MethodFacts entry, final String residualDescriptor, final Class<?> functional,
      final boolean[] ignoredArguments, final int parameterSlots, final InsnList code, final List<TryCatchBlockNode> handlers,
      final List<MethodNode> extraMethods) {
    final List<Object> key = new ArrayList<>();
    key.add(entry);
    key.add(residualDescriptor);
    key.add(functional);
    key.add(ignoredArguments == null ? "" : java.util.Arrays.toString(ignoredArguments));
    key.add(parameterSlots);
    if (!encode(code, handlers, key)) {
      return null;
    }
    for (final MethodNode m : extraMethods) {
      key.add(m.name);
      key.add(m.desc);
      key.add(m.access);
      if (!encode(m.instructions, m.tryCatchBlocks, key)) {
        return null;
      }
    }
    return key;
  }

  /** Appends the instructions of {@code code} and its handlers to {@code out}; false for an unknown instruction. */
  private static boolean encode(final InsnList code, final List<TryCatchBlockNode> handlers,
      final List<Object> out) {
    final Map<LabelNode, Integer> labels = new IdentityHashMap<>();
    for (final AbstractInsnNode n : code) {
      if (n instanceof LabelNode l) {
        labels.put(l, labels.size());
      }
    }
    out.add(code.size());
    for (final AbstractInsnNode n : code) {
      final Object e = encode(n, labels);
      if (e == null) {
        return false;
      }
      out.add(e);
    }
    for (final TryCatchBlockNode t : handlers) {
      out.add(List.of(labels.getOrDefault(t.start, -1), labels.getOrDefault(t.end, -1),
          labels.getOrDefault(t.handler, -1), String.valueOf(t.type)));
    }
    return true;
  }

  private static Object encode(final AbstractInsnNode n, final Map<LabelNode, Integer> labels) {
    final int op = n.getOpcode();
    if (n instanceof LabelNode l) {
      return List.of("L", labels.get(l));
    }
    if (n instanceof InsnNode) {
      return op;
    }
    if (n instanceof IntInsnNode i) {
      return List.of(op, i.operand);
    }
    if (n instanceof VarInsnNode v) {
      return List.of(op, v.var);
    }
    if (n instanceof TypeInsnNode t) {
      return List.of(op, t.desc);
    }
    if (n instanceof FieldInsnNode f) {
      return List.of(op, f.owner, f.name, f.desc);
    }
    if (n instanceof MethodInsnNode m) {
      return List.of(op, m.owner, m.name, m.desc, m.itf);
    }
    if (n instanceof InvokeDynamicInsnNode d) {
      return List.of(op, d.name, d.desc, d.bsm, Arrays.asList(d.bsmArgs));
    }
    if (n instanceof JumpInsnNode j) {
      return List.of(op, labels.get(j.label));
    }
    if (n instanceof LdcInsnNode c) {
      // Strings, numbers, types, handles and dynamic constants (class data by index) all define equals.
      return List.of(op, c.cst.getClass(), c.cst);
    }
    if (n instanceof IincInsnNode i) {
      return List.of(op, i.var, i.incr);
    }
    if (n instanceof TableSwitchInsnNode t) {
      return List.of(op, t.min, t.max, labels.get(t.dflt), indexes(t.labels, labels));
    }
    if (n instanceof LookupSwitchInsnNode s) {
      return List.of(op, List.copyOf(s.keys), labels.get(s.dflt), indexes(s.labels, labels));
    }
    if (n instanceof MultiANewArrayInsnNode a) {
      return List.of(op, a.desc, a.dims);
    }
    return null;
  }

  private static List<Integer> indexes(final List<LabelNode> targets, final Map<LabelNode, Integer> labels) {
    final List<Integer> out = new ArrayList<>(targets.size());
    for (final LabelNode l : targets) {
      out.add(labels.get(l));
    }
    return out;
  }
}
