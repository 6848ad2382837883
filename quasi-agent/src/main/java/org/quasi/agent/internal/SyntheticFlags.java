package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * The {@code static final GuardFlag} fields a woven class gets for writes to fields of classes that cannot be woven:
 * per field reference class, its side-table flag ({@code Guards.sideTableFlag}); per unwoven static quasi-invariant,
 * its static flag ({@code Guards.staticFlag}). The write sites read these constants, so that the fast path is a
 * load of a constant and a volatile load, as for woven classes' own flags.
 */
final class SyntheticFlags {

  static final String SIDE_PREFIX = "$quasi$side$";
  static final String STATIC_PREFIX = "$quasi$sflag$";

  private final String className;

  /** Field name → the instructions that push the flag, in order of first use. */
  private final Map<String, InsnList> fields = new LinkedHashMap<>();

  /** Key (class, or class.field) → field name. */
  private final Map<String, String> names = new LinkedHashMap<>();

  SyntheticFlags(final String className) {
    this.className = className;
  }

  /** The name of this class's field holding the side-table flag of {@code owner} (internal name). */
  String sideTableFlag(final String owner) {
    return names.computeIfAbsent(owner, o -> {
      final String name = SIDE_PREFIX + fields.size();
      final InsnList init = new InsnList();
      init.add(new LdcInsnNode(Type.getObjectType(o)));
      init.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "sideTableFlag",
          "(Ljava/lang/Class;)" + WriteSiteRewriter.GUARD_FLAG_DESC, false));
      fields.put(name, init);
      return name;
    });
  }

  /** The name of this class's field holding the flag of the unwoven static field {@code declaring.field}. */
  String staticFlag(final String declaring, final String field) {
    return names.computeIfAbsent(declaring + "." + field, k -> {
      final String name = STATIC_PREFIX + fields.size();
      final InsnList init = new InsnList();
      init.add(new LdcInsnNode(Type.getObjectType(declaring)));
      init.add(new LdcInsnNode(field));
      init.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "staticFlag",
          "(Ljava/lang/Class;Ljava/lang/String;)" + WriteSiteRewriter.GUARD_FLAG_DESC, false));
      fields.put(name, init);
      return name;
    });
  }

  boolean isEmpty() {
    return fields.isEmpty();
  }

  /**
   * Adds the fields to {@code node} and initializes them first thing in its static initializer (created if absent),
   * so that they are set before any code of the class can write. Interface fields must be public.
   */
  void addTo(final ClassNode node) {
    if (fields.isEmpty()) {
      return;
    }
    final boolean isInterface = (node.access & ACC_INTERFACE) != 0;
    final int access = (isInterface ? ACC_PUBLIC : ACC_PRIVATE) | ACC_STATIC | ACC_FINAL | ACC_SYNTHETIC;
    final InsnList init = new InsnList();
    for (final Map.Entry<String, InsnList> e : fields.entrySet()) {
      node.fields.add(new FieldNode(access, e.getKey(), WriteSiteRewriter.GUARD_FLAG_DESC, null, null));
      init.add(e.getValue());
      init.add(new FieldInsnNode(PUTSTATIC, className, e.getKey(), WriteSiteRewriter.GUARD_FLAG_DESC));
    }
    StaticInitializer.prepend(node, init);
  }
}
