package org.quasi.agent.internal;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.quasi.specializer.internal.WideJumps;

/**
 * Weaves one class: the synthetic QUID field and {@code QuidHolder} accessors when the class is the top of its
 * hierarchy to declare a quasi-invariant instance field, a static {@code GuardFlag} per static quasi-invariant field
 * (initialized first thing in the static initializer), guarded writes at every write site, and entry points
 * ({@link EntryWeaving}) for the methods the spec names.
 */
public final class ClassWeaving {

  /** What weaving did to one class. */
  public record Outcome(String className, byte[] bytes, int guardedWrites, boolean quidAdded,
      List<String> staticFlags, int batchedWrites, int sideTableWrites, int reroutedCalls,
      List<String> unrewritableSites, List<String> entryPoints, List<String> problems) {
    /** Whether the class changed. */
    public boolean changed() {
      return bytes != null;
    }
  }

  private static final String QUID_HOLDER = "org/quasi/runtime/QuidHolder";

  /**
   * The marker field every woven class gets, so that weaving is idempotent: a class woven ahead of time and then
   * loaded under the agent is not woven twice (its guarded writes contain the plain stores the weaver would match).
   */
  static final String WOVEN_MARKER = "$quasi$woven";

  private final Hierarchy hierarchy;
  private final boolean strict;
  private final EntryWeaving entries;

  /** Weaving with the paper's one-test guard and no entry points. */
  public ClassWeaving(final Hierarchy hierarchy) {
    this(hierarchy, false, EntryWeaving.NONE);
  }

  /** Weaving in strict mode or not ({@code org.quasi.agent.WeaveOptions}), with the spec's entry points. */
  public ClassWeaving(final Hierarchy hierarchy, final boolean strict, final EntryWeaving entries) {
    this.hierarchy = hierarchy;
    this.strict = strict;
    this.entries = entries;
    hierarchy.trialBy(this::weaves);
  }

  private static Outcome unchanged(final String name, final List<String> unrewritable, final List<String> problems) {
    return new Outcome(name, null, 0, false, List.of(), 0, 0, 0, List.copyOf(unrewritable), List.of(),
        List.copyOf(problems));
  }

  /** Weaves {@code classFile}; the outcome's bytes are {@code null} when nothing needed weaving. */
  public Outcome weave(final byte[] classFile) {
    final Hierarchy.Header header = hierarchy.remember(classFile);
    final Outcome o = hierarchy.weaving(header.name(), () -> weave(classFile, header));
    if (o.changed() && !hierarchy.wovenNow(header.name())) {
      throw new IllegalStateException(header.name() + ": an earlier try to weave it failed, and the sites woven since"
          + " guard its fields through the side table: it stays unwoven");
    }
    return o;
  }

  /** Whether weaving {@code classFile} succeeds: {@link Hierarchy#holdsItsGuards} asks before relying on a class. */
  private boolean weaves(final byte[] classFile) {
    try {
      weave(classFile);
      return true;
    } catch (RuntimeException | Error e) {
      // DontCheck(IllegalCatch): whatever stops the weaving, the sites relying on the class take the side table.
      return false;
    }
  }

  private Outcome weave(final byte[] classFile, final Hierarchy.Header header) {
    final ClassNode node = new ClassNode();
    new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES);
    if (hasField(node, WOVEN_MARKER) || !hierarchy.isWovable(node.name)) {
      return unchanged(node.name, List.of(), List.of());
    }
    final EntryWeaving.Outcome entryOutcome = entries.weave(node);
    final List<String> entryPoints = new ArrayList<>();
    for (final var e : entryOutcome.woven()) {
      entryPoints.add(e.where());
    }
    boolean quidAdded = false;
    if (!header.isInterface() && hierarchy.declaresInstanceQuasiInvariant(header)
        && hierarchy.quidHolder(header).equals(header.name()) && !hasField(node, WriteSiteRewriter.QUID_FIELD)) {
      addQuid(node);
      quidAdded = true;
    }
    final List<String> flags = new ArrayList<>();
    for (final Hierarchy.FieldDecl f : header.fields().values()) {
      if (f.isStatic() && hierarchy.isQuasiInvariant(header, f.name())
          && !hasField(node, WriteSiteRewriter.FLAG_PREFIX + f.name())) {
        flags.add(f.name());
      }
    }
    if (!flags.isEmpty()) {
      addStaticFlags(node, flags);
    }
    final SyntheticFlags synthetic = new SyntheticFlags(node.name);
    final WriteSiteRewriter rewriter = new WriteSiteRewriter(hierarchy, strict, node.name, synthetic);
    final CallSites calls = new CallSites(strict);
    final List<String> unrewritable = new ArrayList<>();
    int sites = 0;
    int batched = 0;
    int sideTable = 0;
    int rerouted = 0;
    for (final MethodNode m : node.methods) {
      rerouted += calls.rewrite(node.name, m, unrewritable);
      final WriteSiteRewriter.Counts c = rewriter.rewrite(m);
      sites += c.guardedWrites();
      batched += c.batchedWrites();
      sideTable += c.sideTableWrites();
    }
    if (!quidAdded && flags.isEmpty() && sites == 0 && rerouted == 0 && entryPoints.isEmpty()) {
      return unchanged(node.name, unrewritable, entryOutcome.problems());
    }
    synthetic.addTo(node);
    // Interface fields must be public (JVMS 4.5); TypeGuard's corpus has a quasi-invariant interface constant.
    final int markerAccess = (node.access & ACC_INTERFACE) != 0 ? ACC_PUBLIC : ACC_PRIVATE;
    node.fields.add(new FieldNode(markerAccess | ACC_STATIC | ACC_FINAL | ACC_SYNTHETIC, WOVEN_MARKER, "Z", null, 1));
    final boolean frames = (node.version & 0xFFFF) >= V1_6;
    final ClassWriter writer = new ClassWriter(frames ? ClassWriter.COMPUTE_FRAMES : ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(final String a, final String b) {
        return hierarchy.commonSuperClass(a, b);
      }
    };
    // A method near 64 KB with its guarded writes must still be written: see WideJumps.
    WideJumps.widenIfLong(node);
    node.accept(writer);
    return new Outcome(node.name, writer.toByteArray(), sites, quidAdded, List.copyOf(flags), batched, sideTable,
        rerouted, List.copyOf(unrewritable), entryPoints, entryOutcome.problems());
  }

  /**
   * The quasi-invariant fields that {@code classFile}'s own {@code putfield}s and {@code putstatic}s write, as
   * {@code com.x.Task.pid} (the declaring class's binary name): what goes unguarded when the class cannot be woven.
   */
  public List<String> quasiInvariantWrites(final byte[] classFile) {
    final ClassNode node = new ClassNode();
    try {
      new ClassReader(classFile).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
    } catch (RuntimeException unreadable) {
      // DontCheck(IllegalCatch): ASM cannot read it (a newer class-file version, say): its constant pool still names
      // every field it reads or writes, and each quasi-invariant among them counts.
      return referredQuasiInvariants(classFile);
    }
    final java.util.Set<String> written = new java.util.TreeSet<>();
    for (final MethodNode m : node.methods) {
      for (final org.objectweb.asm.tree.AbstractInsnNode n : m.instructions) {
        if (n instanceof FieldInsnNode f && (f.getOpcode() == PUTFIELD || f.getOpcode() == PUTSTATIC)) {
          final Hierarchy.Resolved r = hierarchy.resolveField(f.owner, f.name);
          if (r != null && hierarchy.isQuasiInvariant(r.declaring(), r.field().name())) {
            written.add(r.declaring().name().replace('/', '.') + "." + r.field().name());
          }
        }
      }
    }
    return List.copyOf(written);
  }

  /**
   * The quasi-invariant fields {@code classFile}'s constant pool refers to. A field of the class itself counts when
   * the spec names it; one it declares quasi-invariant by annotation cannot be seen without reading the class.
   */
  private List<String> referredQuasiInvariants(final byte[] classFile) {
    final java.util.Set<String> referred = new java.util.TreeSet<>();
    for (final String[] ref : ConstantPoolFields.fieldRefs(classFile)) {
      final Hierarchy.Resolved r = hierarchy.resolveField(ref[0], ref[1]);
      if (r != null && hierarchy.isQuasiInvariant(r.declaring(), r.field().name())) {
        referred.add(r.declaring().name().replace('/', '.') + "." + r.field().name());
      } else if (r == null && hierarchy.specNames(ref[0], ref[1])) {
        referred.add(ref[0].replace('/', '.') + "." + ref[1]);
      }
    }
    return List.copyOf(referred);
  }

  private static boolean hasField(final ClassNode node, final String name) {
    for (final FieldNode f : node.fields) {
      if (f.name.equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The field is public so that write sites in other classes can read it; volatile: see QuidHolder's contract. */
  private static void addQuid(final ClassNode node) {
    final String quidDesc = "L" + WriteSiteRewriter.QUID + ";";
    node.fields.add(new FieldNode(ACC_PUBLIC | ACC_VOLATILE | ACC_TRANSIENT | ACC_SYNTHETIC,
        WriteSiteRewriter.QUID_FIELD, quidDesc, null, null));
    node.interfaces.add(QUID_HOLDER);
    final MethodNode get = new MethodNode(ACC_PUBLIC | ACC_SYNTHETIC, "$quasi$quid", "()" + quidDesc, null, null);
    get.instructions.add(new VarInsnNode(ALOAD, 0));
    get.instructions.add(new FieldInsnNode(GETFIELD, node.name, WriteSiteRewriter.QUID_FIELD, quidDesc));
    get.instructions.add(new InsnNode(ARETURN));
    node.methods.add(get);
    final MethodNode set = new MethodNode(ACC_PUBLIC | ACC_SYNTHETIC, "$quasi$setQuid", "(" + quidDesc + ")V", null,
        null);
    set.instructions.add(new VarInsnNode(ALOAD, 0));
    set.instructions.add(new VarInsnNode(ALOAD, 1));
    set.instructions.add(new FieldInsnNode(PUTFIELD, node.name, WriteSiteRewriter.QUID_FIELD, quidDesc));
    set.instructions.add(new InsnNode(RETURN));
    node.methods.add(set);
  }

  private static void addStaticFlags(final ClassNode node, final List<String> fields) {
    final String flagDesc = "L" + WriteSiteRewriter.GUARD_FLAG + ";";
    final InsnList init = new InsnList();
    for (final String f : fields) {
      node.fields.add(new FieldNode(ACC_PUBLIC | ACC_STATIC | ACC_FINAL | ACC_SYNTHETIC,
          WriteSiteRewriter.FLAG_PREFIX + f, flagDesc, null, null));
      init.add(new LdcInsnNode(Type.getObjectType(node.name)));
      init.add(new LdcInsnNode(f));
      init.add(new MethodInsnNode(INVOKESTATIC, WriteSiteRewriter.GUARDS, "staticFlag",
          "(Ljava/lang/Class;Ljava/lang/String;)" + flagDesc, false));
      init.add(new FieldInsnNode(PUTSTATIC, node.name, WriteSiteRewriter.FLAG_PREFIX + f, flagDesc));
    }
    StaticInitializer.prepend(node, init);
  }
}
