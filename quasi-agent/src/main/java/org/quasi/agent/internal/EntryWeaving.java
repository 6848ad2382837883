package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.runtime.internal.NearestNames;
import org.quasi.typeguard.spec.SpecEntryPoint;

/**
 * Rewrites the methods a spec file declares as entry points ({@code entry} lines): the original body moves to a
 * private synthetic method {@code NAME$quasi$generic} (same descriptor and flags otherwise, so it behaves exactly as
 * before, synchronized included), and the method keeps its name, descriptor, access and annotations with a body of one
 * {@code invokedynamic} bootstrapped by quasi-versions' {@code EntryBootstrap}, which builds the entry point on the
 * first call and links the call site to it for good.
 *
 * <p>Calls keep their meaning: callers and overriding still see the same virtual method (a subclass that overrides
 * it keeps its own body; its {@code super.m()} calls the dispatcher with itself as receiver); recursion goes through
 * the entry point again. Abstract and native methods, methods of interfaces and constructors are not rewritten (the
 * reason is returned).
 */
public final class EntryWeaving {

  /** quasi-versions' bootstrap, {@code EntryBootstrap.entry(Lookup, String, MethodType, String...)}. */
  static final Handle BOOTSTRAP = new Handle(H_INVOKESTATIC, "org/quasi/versions/EntryBootstrap", "entry",
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/String;)"
          + "Ljava/lang/invoke/CallSite;", false);

  /** The suffix of the method holding the original body (quasi-versions' {@code EntryBootstrap.GENERIC_SUFFIX}). */
  static final String GENERIC_SUFFIX = "$quasi$generic";

  /** No entry points: weaving guarded writes only. */
  public static final EntryWeaving NONE = new EntryWeaving(List.of(), List.of());

  private final List<SpecEntryPoint> entries;
  private final List<String> quasiInvariants;

  /**
   * @param entries         the spec's entry lines
   * @param quasiInvariants the spec's quasi-invariant fields as {@code binary.Owner.field}, passed to each entry
   */
  public EntryWeaving(final List<SpecEntryPoint> entries, final List<String> quasiInvariants) {
    this.entries = List.copyOf(entries);
    this.quasiInvariants = List.copyOf(quasiInvariants);
  }

  /** What weaving entries did to one class. */
  public record Outcome(List<SpecEntryPoint> woven, List<String> problems) {
  }

  /** Whether any entry line names the class {@code internalName}. */
  public boolean names(final String internalName) {
    for (final SpecEntryPoint e : entries) {
      if (e.owner().replace('.', '/').equals(internalName)) {
        return true;
      }
    }
    return false;
  }

  /** Rewrites {@code node}'s declared entry methods in place. */
  public Outcome weave(final ClassNode node) {
    final List<SpecEntryPoint> woven = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    for (final SpecEntryPoint e : entries) {
      if (!e.owner().replace('.', '/').equals(node.name)) {
        continue;
      }
      final String problem = weave(node, e);
      if (problem == null) {
        woven.add(e);
      } else {
        problems.add("entry " + e.where() + " " + e.method() + ": " + problem);
      }
    }
    return new Outcome(woven, problems);
  }

  private String weave(final ClassNode node, final SpecEntryPoint e) {
    if ((node.access & ACC_INTERFACE) != 0) {
      return "an interface's method cannot be an entry point";
    }
    if ((node.version & 0xFFFF) < V1_7) {
      return "the class file predates Java 7 and cannot hold the invokedynamic the entry point needs";
    }
    MethodNode original = null;
    final List<String> names = new ArrayList<>();
    for (final MethodNode m : node.methods) {
      if (m.name.equals(e.name()) && m.desc.equals(e.descriptor())) {
        original = m;
      } else if (!m.name.startsWith("<") && (m.access & ACC_SYNTHETIC) == 0) {
        names.add(m.name + m.desc);
      }
    }
    if (original == null) {
      return "no such method; nearest: " + String.join(", ", NearestNames.names(e.name() + e.descriptor(), names, 3));
    }
    if ((original.access & (ACC_ABSTRACT | ACC_NATIVE)) != 0) {
      return "the method has no body (abstract or native)";
    }
    final boolean isStatic = (original.access & ACC_STATIC) != 0;
    final MethodNode dispatch = new MethodNode(original.access & ~(ACC_SYNCHRONIZED | ACC_BRIDGE), original.name,
        original.desc, original.signature, original.exceptions.toArray(new String[0]));
    dispatch.visibleAnnotations = original.visibleAnnotations;
    dispatch.invisibleAnnotations = original.invisibleAnnotations;
    dispatch.visibleParameterAnnotations = original.visibleParameterAnnotations;
    dispatch.invisibleParameterAnnotations = original.invisibleParameterAnnotations;
    dispatch.parameters = original.parameters;
    original.visibleAnnotations = null;
    original.invisibleAnnotations = null;
    original.visibleParameterAnnotations = null;
    original.invisibleParameterAnnotations = null;
    original.visibleAnnotableParameterCount = 0;
    original.invisibleAnnotableParameterCount = 0;
    original.name = original.name + GENERIC_SUFFIX;
    original.access = (original.access & ~(ACC_PUBLIC | ACC_PROTECTED)) | ACC_PRIVATE | ACC_SYNTHETIC;
    int slot = 0;
    String indyDesc = original.desc;
    if (!isStatic) {
      dispatch.instructions.add(new VarInsnNode(ALOAD, 0));
      slot = 1;
      indyDesc = "(L" + node.name + ";" + original.desc.substring(1);
    }
    for (final Type t : Type.getArgumentTypes(original.desc)) {
      dispatch.instructions.add(new VarInsnNode(t.getOpcode(ILOAD), slot));
      slot += t.getSize();
    }
    final List<Object> args = new ArrayList<>();
    args.add(e.where());
    args.add(e.name());
    args.add(e.descriptor());
    args.add(String.join(",", e.keys()));
    args.add(e.after() + "," + e.versions() + "," + e.backoff() + "," + (e.replugger() == null ? "-" : e.replugger())
        + "," + (e.background() ? "background" : "caller"));
    args.add(e.owner());
    args.addAll(quasiInvariants);
    dispatch.instructions.add(new InvokeDynamicInsnNode("entry", indyDesc, BOOTSTRAP, args.toArray()));
    dispatch.instructions.add(new InsnNode(Type.getReturnType(original.desc).getOpcode(IRETURN)));
    node.methods.add(dispatch);
    return null;
  }
}
