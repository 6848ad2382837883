package org.quasi.specializer.validate.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Which methods of a class path may run native code declared outside the JDK, through any chain of calls inside the
 * class path: a call reaches the method it resolves to (declared by the named owner or a superclass on the class
 * path) and, when virtual or through an interface, every implementation of it by a class of the class path that
 * extends or implements the owner. Calls into the JDK and {@code invokedynamic} are not followed.
 *
 * <p>Computed once, backwards from the native methods over the class path's whole call graph, so it reads each class
 * file once whatever the graph's cycles (a screen asking method by method re-screens every method of a cycle).
 */
final class NativeReach {
  /** One call site: the calling method's key, the owner named, the callee's name and descriptor, virtual or not. */
  private record Call(String caller, String owner, String nameDesc, boolean virtual) {
  }

  /** Internal name → superclass, for the class path's classes. */
  private final Map<String, String> superclasses = new HashMap<>();
  /** Internal name → the class path's classes that extend or implement it directly. */
  private final Map<String, List<String>> directSubtypes = new HashMap<>();
  /** Internal name → names and descriptors of the methods with a body or native that the class declares. */
  private final Map<String, Set<String>> declared = new HashMap<>();
  /** Transitive subtypes, memoized. */
  private final Map<String, List<String>> subtypes = new HashMap<>();
  /** Method key ({@code owner.nameDesc}) → the native method it may run, as a reason. */
  private final Map<String, String> roots = new HashMap<>();
  /** Method key → the method through which it reaches {@link #roots its native method} (absent for the native one). */
  private final Map<String, String> via = new HashMap<>();

  private NativeReach() {
  }

  /** The reach of the classes {@code classNames} (binary names; the JDK's are left out) read through {@code files}. */
  static NativeReach of(final ClassFiles files, final Collection<String> classNames) {
    final NativeReach reach = new NativeReach();
    final List<Call> calls = new ArrayList<>();
    final ArrayDeque<String> work = new ArrayDeque<>();
    for (final String name : classNames) {
      final String internal = name.replace('.', '/');
      if (EffectScreen.jdk(internal)) {
        continue;
      }
      final ClassNode cn = files.classNode(internal);
      if (cn == null) {
        continue;
      }
      if (cn.superName != null) {
        reach.superclasses.put(internal, cn.superName);
        reach.directSubtypes.computeIfAbsent(cn.superName, k -> new ArrayList<>()).add(internal);
      }
      for (final String itf : cn.interfaces) {
        reach.directSubtypes.computeIfAbsent(itf, k -> new ArrayList<>()).add(internal);
      }
      final Set<String> methods = reach.declared.computeIfAbsent(internal, k -> new HashSet<>());
      for (final MethodNode m : cn.methods) {
        final String key = internal + "." + m.name + m.desc;
        if ((m.access & Opcodes.ACC_NATIVE) != 0) {
          methods.add(m.name + m.desc);
          reach.roots.put(key, "calls native method " + internal.replace('/', '.') + "." + m.name
              + " (native code outside the JDK)");
          work.add(key);
          continue;
        }
        if ((m.access & Opcodes.ACC_ABSTRACT) != 0) {
          continue;
        }
        methods.add(m.name + m.desc);
        for (final AbstractInsnNode insn : m.instructions) {
          if (insn instanceof MethodInsnNode call && !EffectScreen.jdk(call.owner) && !call.owner.startsWith("[")) {
            calls.add(new Call(key, call.owner, call.name + call.desc,
                call.getOpcode() == Opcodes.INVOKEVIRTUAL || call.getOpcode() == Opcodes.INVOKEINTERFACE));
          }
        }
      }
    }
    final Map<String, List<String>> callers = new HashMap<>();
    for (final Call call : calls) {
      for (final String target : reach.targets(call.owner, call.nameDesc, call.virtual)) {
        callers.computeIfAbsent(target, k -> new ArrayList<>()).add(call.caller);
      }
    }
    while (!work.isEmpty()) {
      final String target = work.poll();
      for (final String caller : callers.getOrDefault(target, List.of())) {
        if (!reach.roots.containsKey(caller)) {
          reach.roots.put(caller, reach.roots.get(target));
          reach.via.put(caller, target);
          work.add(caller);
        }
      }
    }
    return reach;
  }

  /**
   * Why a call of {@code owner.name desc} (virtual: {@code invokevirtual} or {@code invokeinterface}) may run native
   * code outside the JDK, or null.
   */
  String target(final String owner, final String name, final String desc, final boolean virtual) {
    for (final String target : targets(owner, name + desc, virtual)) {
      final String root = roots.get(target);
      if (root != null) {
        return via.containsKey(target) ? root + " through " + display(target) : root;
      }
    }
    return null;
  }

  /** The methods of the class path a call may run: the one it resolves to, and overriding ones when virtual. */
  private List<String> targets(final String owner, final String nameDesc, final boolean virtual) {
    final List<String> out = new ArrayList<>();
    for (String c = owner; c != null && declared.containsKey(c); c = superclasses.get(c)) {
      if (declared.get(c).contains(nameDesc)) {
        out.add(c + "." + nameDesc);
        break;
      }
    }
    if (virtual) {
      for (final String sub : subtypes(owner)) {
        if (declared.getOrDefault(sub, Set.of()).contains(nameDesc)) {
          out.add(sub + "." + nameDesc);
        }
      }
    }
    return out;
  }

  private List<String> subtypes(final String type) {
    final List<String> known = subtypes.get(type);
    if (known != null) {
      return known;
    }
    final List<String> out = new ArrayList<>();
    final ArrayDeque<String> work = new ArrayDeque<>(List.of(type));
    final Set<String> seen = new HashSet<>(work);
    while (!work.isEmpty()) {
      for (final String sub : directSubtypes.getOrDefault(work.poll(), List.of())) {
        if (seen.add(sub)) {
          out.add(sub);
          work.add(sub);
        }
      }
    }
    subtypes.put(type, out);
    return out;
  }

  /** {@code a/b/C.m(I)V} as {@code a.b.C.m}. */
  private static String display(final String key) {
    final int dot = key.indexOf('.');
    final int paren = key.indexOf('(', dot);
    return key.substring(0, dot).replace('/', '.') + "." + key.substring(dot + 1, paren);
  }
}
