package org.quasi.typeguard.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.quasi.typeguard.Certainty;
import org.quasi.typeguard.Finding;
import org.quasi.typeguard.FindingKind;

/**
 * Applies the instruction rules to one method: field writes and their classification, reads, the reflective and
 * handle-based holes, Unsafe, and escapes of quasi-invariant arrays. Rules that need to know where a value comes from
 * read the frames of a {@link ProvenanceInterpreter} analysis; the method is analysed only when it contains an
 * instruction that needs them.
 *
 * @implNote When ASM's analyzer rejects a method (broken or unusual bytecode), every traced value is taken as
 *     unknown: holes become "possible" findings and constructor writes count as after an escape. Nothing is dropped.
 */
final class MethodScanner {

  private final String className;
  private final Targets targets;
  private final boolean reads;
  private final SiteFactory sites;
  private final Consumer<Finding> sink;

  MethodScanner(final String className, final Targets targets, final boolean reads, final SiteFactory sites,
      final Consumer<Finding> sink) {
    this.className = className;
    this.targets = targets;
    this.reads = reads;
    this.sites = sites;
    this.sink = sink;
  }

  /**
   * {@return whether the method contains an instruction whose rule needs traced values}
   *
   * @param method the method
   */
  boolean needsFrames(final MethodNode method) {
    final boolean constructor = "<init>".equals(method.name);
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
      if (insn instanceof MethodInsnNode m && (HoleApis.TRIGGER_OWNERS.contains(m.owner)
          || HoleApis.CLASS.equals(m.owner) && m.name.startsWith("get") && m.name.contains("Field"))) {
        return true; // a hole API, or a Field that may be kept in a holder field for a hole API elsewhere
      }
      if (insn instanceof FieldInsnNode f) {
        for (final Targets.Target t : targets.named(f.name)) {
          final boolean get = f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC;
          if (get && t.isArray() || constructor && f.getOpcode() == Opcodes.PUTFIELD && className.equals(t.owner())) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Analyses a method's data flow.
   *
   * @param method the method
   * @param holders facts stored in fields of this class
   * @param finalFields the class's final fields
   * @return the analysis, or {@code null} if ASM rejected the method
   */
  FlowResult analyze(final MethodNode method, final Map<String, Set<Atom>> holders, final Set<String> finalFields) {
    final FlowAnalyzer analyzer = new FlowAnalyzer(
        new ProvenanceInterpreter(className, targets, holders, finalFields), method.instructions.size());
    try {
      return new FlowResult(analyzer, analyzer.analyze(className, method));
    } catch (AnalyzerException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The frames of an analysed method and its control-flow graph.
   *
   * @param analyzer the analyzer, for reachability
   * @param frames the frames; an entry is {@code null} for unreachable code
   */
  record FlowResult(FlowAnalyzer analyzer, Frame<Provenance>[] frames) {
  }

  /**
   * Collects what the method stores into fields of this class (to trace handles kept in holders).
   *
   * @param method the method
   * @param flow its analysis
   * @param holders where to add, by {@code name:desc}
   */
  void collectHolders(final MethodNode method, final FlowResult flow, final Map<String, Set<Atom>> holders) {
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      final Frame<Provenance> frame = flow.frames()[i];
      if (frame == null || !(insn instanceof FieldInsnNode f) || !className.equals(f.owner)
          || (f.getOpcode() != Opcodes.PUTFIELD && f.getOpcode() != Opcodes.PUTSTATIC)) {
        continue;
      }
      final Provenance value = top(frame, 0);
      final boolean handle = value.atoms().stream().anyMatch(a -> a instanceof Atom.Handle || a instanceof Atom.FieldObj
          || a instanceof Atom.FieldArray);
      if (handle) {
        holders.computeIfAbsent(f.name + ":" + f.desc, k -> new java.util.HashSet<>()).addAll(value.atoms());
      }
    }
  }

  /**
   * Applies all rules and reports findings.
   *
   * @param method the method
   * @param flow its analysis, or {@code null} if it was not analysed or the analysis failed
   * @param analysedOrFailed whether an analysis was wanted (then a {@code null} flow means failure)
   */
  void scan(final MethodNode method, final FlowResult flow, final boolean analysedOrFailed) {
    final int[] lines = SiteFactory.lines(method);
    final Frame<Provenance>[] frames = flow == null ? null : flow.frames();
    final boolean[] afterEscape = flow == null ? null : afterThisEscape(method, flow);
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      if (insn.getOpcode() < 0) {
        continue;
      }
      final Frame<Provenance> frame;
      if (frames != null) {
        frame = frames[i];
        if (frame == null) {
          continue; // unreachable code cannot write anything
        }
      } else {
        frame = null;
      }
      final Ctx ctx = new Ctx(method, lines, i, frame, analysedOrFailed, afterEscape);
      if (insn instanceof FieldInsnNode f) {
        fieldInsn(ctx, f);
      } else if (insn instanceof MethodInsnNode m) {
        if (frame != null || analysedOrFailed) {
          methodInsn(ctx, m);
        }
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        constants(ctx, indy.bsm);
        for (final Object arg : indy.bsmArgs) {
          constants(ctx, arg);
        }
        if (frame != null) {
          invokeDynamic(ctx, indy);
        }
      } else if (insn instanceof LdcInsnNode ldc) {
        constants(ctx, ldc.cst);
      } else if (frame != null) {
        plainInsn(ctx, insn.getOpcode());
      }
    }
  }

  /** Per-instruction context. */
  private record Ctx(MethodNode method, int[] lines, int index, Frame<Provenance> frame, boolean analysedOrFailed,
      boolean[] afterEscape) {

    /** The value {@code depth} entries below the top of the stack; unknown when the method has no frames. */
    Provenance stack(final int depth) {
      return frame == null ? Provenance.UNKNOWN_1 : top(frame, depth);
    }
  }

  private static Provenance top(final Frame<Provenance> frame, final int depth) {
    return frame.getStack(frame.getStackSize() - 1 - depth);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Rules
  // -----------------------------------------------------------------------------------------------------------------

  private void fieldInsn(final Ctx ctx, final FieldInsnNode f) {
    final int op = f.getOpcode();
    final boolean put = op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC;
    Targets.Target destination = null;
    for (final Targets.Target t : targets.named(f.name)) {
      final Certainty c = targets.matchRef(t, f.owner, f.name, f.desc);
      if (c == null) {
        continue;
      }
      if (put) {
        destination = t;
        final FindingKind kind = classifyWrite(ctx, t, op);
        emit(t, kind, c, ctx, op == Opcodes.PUTFIELD ? "putfield" : "putstatic",
            (op == Opcodes.PUTFIELD ? "putfield " : "putstatic ") + f.owner.replace('/', '.') + "." + f.name);
      } else if (reads) {
        emit(t, FindingKind.READ, c, ctx, op == Opcodes.GETFIELD ? "getfield" : "getstatic",
            (op == Opcodes.GETFIELD ? "getfield " : "getstatic ") + f.owner.replace('/', '.') + "." + f.name);
      }
    }
    if (put && ctx.frame() != null) {
      for (final Atom a : ctx.stack(0).atoms()) {
        if (a instanceof Atom.TargetArray ta && (destination == null || destination.index() != ta.target())) {
          final Targets.Target t = targets.all().get(ta.target());
          emit(t, FindingKind.ARRAY_ESCAPE, Certainty.DEFINITE, ctx, "stored into field",
              "the array is stored into " + f.owner.replace('/', '.') + "." + f.name);
        }
      }
    }
  }

  private FindingKind classifyWrite(final Ctx ctx, final Targets.Target t, final int op) {
    if (!className.equals(t.owner())) {
      return FindingKind.WRITE_ELSEWHERE;
    }
    if (op != Opcodes.PUTFIELD || !"<init>".equals(ctx.method().name)) {
      return FindingKind.WRITE_DECLARING_CLASS;
    }
    if (ctx.frame() == null) {
      // No data flow (the analyzer rejected the method): the target may be 'this' after an escape.
      return FindingKind.WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE;
    }
    final Provenance objectRef = ctx.stack(1);
    if (!objectRef.atoms().equals(Set.of(Atom.THIS))) {
      return FindingKind.WRITE_DECLARING_CLASS;
    }
    return ctx.afterEscape() != null && ctx.afterEscape()[ctx.index()]
        ? FindingKind.WRITE_CONSTRUCTOR_THIS_AFTER_ESCAPE : FindingKind.WRITE_CONSTRUCTOR_THIS;
  }

  private void methodInsn(final Ctx ctx, final MethodInsnNode m) {
    final List<Provenance> args = arguments(ctx, m.desc, m.getOpcode() != Opcodes.INVOKESTATIC);
    final String api = simpleOwner(m.owner) + "." + m.name;
    if (HoleApis.isFieldSet(m)) {
      judgeAll(ctx, args.get(0), null, FindingKind.REFLECTION_SET, api, "writes the field through reflection");
    } else if (HoleApis.isSetAccessible(m)) {
      judgeAll(ctx, args.get(0), null, FindingKind.SET_ACCESSIBLE, api, "suppresses access checks on the field");
    } else if (HoleApis.isSetAccessibleArray(m)) {
      judgeAll(ctx, new Provenance(1, HoleApis.elementsOf(args.get(0))), null, FindingKind.SET_ACCESSIBLE, api,
          "suppresses access checks on an array of members that may hold the field");
    } else if (HoleApis.isVarHandleWrite(m)) {
      for (final Targets.Target t : targets.all()) {
        if (targets.anyMatch(t, args.get(0), Atom.HandleKind.VAR_HANDLE)) {
          emit(t, FindingKind.VAR_HANDLE_WRITE, targets.judge(t, args.get(0), Atom.HandleKind.VAR_HANDLE), ctx, api,
              "writes the field through a VarHandle made for it");
        }
      }
    } else if (HoleApis.unsafeWriteOffsetArg(m) >= 0) {
      final Provenance offset = args.get(HoleApis.unsafeWriteOffsetArg(m));
      for (final Targets.Target t : targets.all()) {
        if (targets.anyMatch(t, offset, Atom.HandleKind.OFFSET)) {
          emit(t, FindingKind.UNSAFE_PUT, targets.judge(t, offset, Atom.HandleKind.OFFSET), ctx, api,
              "writes the field at an offset taken for it");
        }
      }
    } else {
      final FindingKind acquisition = HoleApis.acquisitionKind(m);
      if (acquisition != null) {
        final Set<Atom> facts = HoleApis.result(m, args);
        if (facts != null) {
          judgeAll(ctx, new Provenance(1, facts), handleKind(acquisition), acquisition, api,
              "makes a way to write the field");
        }
      }
    }
    if (ctx.frame() != null) {
      arrayArguments(ctx, m, args);
    }
  }

  private void arrayArguments(final Ctx ctx, final MethodInsnNode m, final List<Provenance> args) {
    for (int j = 0; j < args.size(); j++) {
      for (final Atom a : args.get(j).atoms()) {
        if (!(a instanceof Atom.TargetArray ta)) {
          continue;
        }
        final Targets.Target t = targets.all().get(ta.target());
        if (m.owner.equals(t.owner()) || HoleApis.readsArrayOnly(m, j)) {
          continue;
        }
        final String callee = m.owner.replace('/', '.') + "." + m.name;
        if ("java/lang/System".equals(m.owner) && "arraycopy".equals(m.name)) {
          emit(t, elementWriteKind(t), Certainty.DEFINITE, ctx, "System.arraycopy", "copies into the array");
        } else {
          emit(t, FindingKind.ARRAY_ESCAPE, Certainty.DEFINITE, ctx, "passed to " + callee,
              "the array is passed to " + callee + m.desc + ", outside the declaring class");
        }
      }
    }
  }

  /**
   * Field handles in the constant pool: {@code ldc} or bootstrap arguments of kind {@code REF_putField} /
   * {@code REF_putStatic} (a setter with no call to find it), and dynamic constants made by
   * {@code ConstantBootstraps.fieldVarHandle}/{@code staticFieldVarHandle}. javac emits neither for fields, other
   * compilers and bytecode generators may.
   */
  private void constants(final Ctx ctx, final Object constant) {
    if (constant instanceof Handle h) {
      final boolean put = h.getTag() == Opcodes.H_PUTFIELD || h.getTag() == Opcodes.H_PUTSTATIC;
      final boolean get = h.getTag() == Opcodes.H_GETFIELD || h.getTag() == Opcodes.H_GETSTATIC;
      if (!put && !(get && reads)) {
        return;
      }
      for (final Targets.Target t : targets.named(h.getName())) {
        final Certainty c = targets.matchRef(t, h.getOwner(), h.getName(), h.getDesc());
        if (c != null) {
          final String detail = "MethodHandle constant " + (put ? "REF_put" : "REF_get")
              + (h.getTag() == Opcodes.H_PUTFIELD || h.getTag() == Opcodes.H_GETFIELD ? "Field" : "Static");
          emit(t, put ? FindingKind.METHOD_HANDLE_SETTER : FindingKind.READ, c, ctx, detail,
              detail + " " + h.getOwner().replace('/', '.') + "." + h.getName());
        }
      }
    } else if (constant instanceof ConstantDynamic cd) {
      final Handle bsm = cd.getBootstrapMethod();
      if ("java/lang/invoke/ConstantBootstraps".equals(bsm.getOwner())
          && ("fieldVarHandle".equals(bsm.getName()) || "staticFieldVarHandle".equals(bsm.getName()))
          && cd.getBootstrapMethodArgumentCount() > 0 && cd.getBootstrapMethodArgument(0) instanceof Type owner) {
        final Atom field = new Atom.FieldObj(new Atom.ClassConst(owner.getInternalName()),
            new Atom.StringConst(cd.getName()), false);
        judgeAll(ctx, Provenance.of(new Atom.Handle(Atom.HandleKind.VAR_HANDLE, (Atom.FieldObj) field)),
            Atom.HandleKind.VAR_HANDLE, FindingKind.VAR_HANDLE, "ConstantBootstraps." + bsm.getName(),
            "(a dynamic constant) makes a VarHandle");
      }
      constants(ctx, bsm);
      for (int k = 0; k < cd.getBootstrapMethodArgumentCount(); k++) {
        constants(ctx, cd.getBootstrapMethodArgument(k));
      }
    }
  }

  private void invokeDynamic(final Ctx ctx, final InvokeDynamicInsnNode indy) {
    if ("java/lang/invoke/StringConcatFactory".equals(indy.bsm.getOwner())) {
      return; // string concatenation only reads the array's identity string
    }
    for (final Provenance p : arguments(ctx, indy.desc, false)) {
      for (final Atom a : p.atoms()) {
        if (a instanceof Atom.TargetArray ta) {
          emit(targets.all().get(ta.target()), FindingKind.ARRAY_ESCAPE, Certainty.DEFINITE, ctx,
              "captured by invokedynamic", "the array is captured by " + indy.name + indy.desc
                  + " (a lambda or another call site)");
        }
      }
    }
  }

  private void plainInsn(final Ctx ctx, final int op) {
    if (op == Opcodes.ARETURN) {
      arrayFact(ctx, ctx.stack(0), FindingKind.ARRAY_ESCAPE, "returned", "the array is returned");
    } else if (op == Opcodes.AASTORE) {
      arrayFact(ctx, ctx.stack(0), FindingKind.ARRAY_ESCAPE, "stored into an array",
          "the array is stored into another array");
    }
    if (op >= Opcodes.IASTORE && op <= Opcodes.SASTORE) {
      for (final Atom a : ctx.stack(2).atoms()) {
        if (a instanceof Atom.TargetArray ta) {
          final Targets.Target t = targets.all().get(ta.target());
          emit(t, elementWriteKind(t), Certainty.DEFINITE, ctx, "array element store",
              "writes an element of the array");
        }
      }
    }
  }

  private void arrayFact(final Ctx ctx, final Provenance value, final FindingKind kind, final String detail,
      final String message) {
    for (final Atom a : value.atoms()) {
      if (a instanceof Atom.TargetArray ta) {
        emit(targets.all().get(ta.target()), kind, Certainty.DEFINITE, ctx, detail, message);
      }
    }
  }

  private FindingKind elementWriteKind(final Targets.Target t) {
    return className.equals(t.owner())
        ? FindingKind.ARRAY_ELEMENT_WRITE_DECLARING_CLASS : FindingKind.ARRAY_ELEMENT_WRITE_ELSEWHERE;
  }

  private void judgeAll(final Ctx ctx, final Provenance value, final Atom.HandleKind kind,
      final FindingKind findingKind, final String api, final String what) {
    for (final Targets.Target t : targets.all()) {
      final Certainty c = targets.judge(t, value, kind);
      if (c != null) {
        emit(t, findingKind, c, ctx, api, api + " " + what
            + (c == Certainty.POSSIBLE ? " (class or name not traced to constants, so it may be this field)" : ""));
      }
    }
  }

  private static Atom.HandleKind handleKind(final FindingKind kind) {
    return switch (kind) {
      case METHOD_HANDLE_SETTER -> Atom.HandleKind.SETTER;
      case VAR_HANDLE -> Atom.HandleKind.VAR_HANDLE;
      case FIELD_UPDATER -> Atom.HandleKind.UPDATER;
      default -> Atom.HandleKind.OFFSET;
    };
  }

  private void emit(final Targets.Target t, final FindingKind kind, final Certainty certainty, final Ctx ctx,
      final String detail, final String message) {
    sink.accept(new Finding(t.id(), kind, certainty, sites.insnSite(ctx.method(), ctx.lines(), ctx.index()), detail,
        message));
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Helpers
  // -----------------------------------------------------------------------------------------------------------------

  private static List<Provenance> arguments(final Ctx ctx, final String desc, final boolean hasReceiver) {
    final int count = Type.getArgumentTypes(desc).length + (hasReceiver ? 1 : 0);
    final List<Provenance> args = new ArrayList<>(count);
    for (int k = count - 1; k >= 0; k--) {
      args.add(ctx.stack(k));
    }
    return args;
  }

  private static String simpleOwner(final String owner) {
    final String simple = owner.substring(owner.lastIndexOf('/') + 1);
    return simple.replace('$', '.');
  }

  /**
   * Marks the instructions of a constructor that can run after {@code this} escaped: was passed to a method (other
   * than as the receiver of the super or this constructor call), captured, or stored into a field or an array.
   */
  private boolean[] afterThisEscape(final MethodNode method, final FlowResult flow) {
    if (!"<init>".equals(method.name)) {
      return null;
    }
    final List<Integer> escapes = new ArrayList<>();
    int i = 0;
    for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext(), i++) {
      final Frame<Provenance> frame = flow.frames()[i];
      if (frame == null) {
        continue;
      }
      if (insn instanceof MethodInsnNode m) {
        final boolean receiver = m.getOpcode() != Opcodes.INVOKESTATIC;
        final int count = Type.getArgumentTypes(m.desc).length + (receiver ? 1 : 0);
        for (int k = 0; k < count; k++) {
          final boolean isReceiver = receiver && k == 0;
          final boolean superCall = isReceiver && m.getOpcode() == Opcodes.INVOKESPECIAL && "<init>".equals(m.name);
          if (!superCall && top(frame, count - 1 - k).mayBeThis()) {
            escapes.add(i);
            break;
          }
        }
      } else if (insn instanceof InvokeDynamicInsnNode indy) {
        final int count = Type.getArgumentTypes(indy.desc).length;
        for (int k = 0; k < count; k++) {
          if (top(frame, k).mayBeThis()) {
            escapes.add(i);
            break;
          }
        }
      } else {
        final int op = insn.getOpcode();
        if ((op == Opcodes.PUTFIELD || op == Opcodes.PUTSTATIC || op == Opcodes.AASTORE)
            && top(frame, 0).mayBeThis()) {
          escapes.add(i);
        }
      }
    }
    return escapes.isEmpty() ? null : flow.analyzer().reachableAfter(escapes);
  }
}
