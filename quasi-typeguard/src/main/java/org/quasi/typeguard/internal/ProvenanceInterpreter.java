package org.quasi.typeguard.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Interpreter;

/**
 * Traces, within one method, where values come from: the receiver, {@code Class} and {@code String} constants (through
 * {@code ldc}, locals, casts and {@code Class.forName}), the {@code Field} objects and field handles built from them,
 * values of quasi-invariant arrays, and handles kept in final fields of the class ("holders"). Merging unites the
 * facts, so a value that may come from several places keeps all of them: the analysis never forgets a possibility.
 *
 * @implNote Sizes of values come from ASM's {@link BasicInterpreter}, which does not look at its arguments for that.
 *     Values that flow through calls other than those of {@link HoleApis}, through arrays, or through fields that
 *     are not final holders of this class, become {@link Atom#UNKNOWN}.
 */
final class ProvenanceInterpreter extends Interpreter<Provenance> {

  private static final BasicInterpreter SIZES = new BasicInterpreter();

  private final String className;
  private final Targets targets;
  private final Map<String, Set<Atom>> holders;
  private final Set<String> finalFields;

  /**
   * Creates the interpreter for one class.
   *
   * @param className internal name of the analysed class
   * @param targets the quasi-invariants
   * @param holders facts stored into fields of this class, by {@code name:desc}
   * @param finalFields {@code name:desc} of the class's final fields, whose stores are all in this class
   */
  ProvenanceInterpreter(final String className, final Targets targets, final Map<String, Set<Atom>> holders,
      final Set<String> finalFields) {
    super(Opcodes.ASM9);
    this.className = className;
    this.targets = targets;
    this.holders = holders;
    this.finalFields = finalFields;
  }

  @Override
  public Provenance newValue(final Type type) {
    if (type == Type.VOID_TYPE) {
      return null;
    }
    return Provenance.unknown(type == null ? 1 : type.getSize());
  }

  @Override
  public Provenance newParameterValue(final boolean isInstanceMethod, final int local, final Type type) {
    if (isInstanceMethod && local == 0) {
      return Provenance.of(Atom.THIS);
    }
    return newValue(type);
  }

  @Override
  public Provenance newOperation(final AbstractInsnNode insn)
      throws AnalyzerException {
    if (insn instanceof LdcInsnNode ldc) {
      if (ldc.cst instanceof String s) {
        return Provenance.of(new Atom.StringConst(s));
      }
      if (ldc.cst instanceof Type t && (t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY)) {
        return Provenance.of(new Atom.ClassConst(t.getInternalName()));
      }
    }
    if (insn.getOpcode() == Opcodes.GETSTATIC) {
      return loaded((FieldInsnNode) insn);
    }
    return sized(SIZES.newOperation(insn));
  }

  @Override
  public Provenance copyOperation(final AbstractInsnNode insn, final Provenance value) {
    return value;
  }

  @Override
  public Provenance unaryOperation(final AbstractInsnNode insn, final Provenance value)
      throws AnalyzerException {
    switch (insn.getOpcode()) {
      case Opcodes.GETFIELD:
        return loaded((FieldInsnNode) insn);
      case Opcodes.CHECKCAST:
        return value;
      default:
        return sized(SIZES.unaryOperation(insn, null));
    }
  }

  @Override
  public Provenance binaryOperation(final AbstractInsnNode insn, final Provenance value1, final Provenance value2)
      throws AnalyzerException {
    if (insn.getOpcode() == Opcodes.AALOAD) {
      return new Provenance(1, HoleApis.elementsOf(value1));
    }
    return sized(SIZES.binaryOperation(insn, null, null));
  }

  @Override
  public Provenance ternaryOperation(final AbstractInsnNode insn, final Provenance value1, final Provenance value2,
      final Provenance value3) {
    return null;
  }

  @Override
  public Provenance naryOperation(final AbstractInsnNode insn, final List<? extends Provenance> values)
      throws AnalyzerException {
    if (insn instanceof MethodInsnNode m) {
      @SuppressWarnings("unchecked")
      final Set<Atom> facts = HoleApis.result(m, (List<Provenance>) values);
      if (facts != null && !facts.isEmpty()) {
        return new Provenance(Type.getReturnType(m.desc).getSize(), facts);
      }
    }
    return sized(SIZES.naryOperation(insn, null));
  }

  @Override
  public void returnOperation(final AbstractInsnNode insn, final Provenance value, final Provenance expected) {
    // Returns are inspected by the scanner, not here.
  }

  @Override
  public Provenance merge(final Provenance value1, final Provenance value2) {
    if (value1.equals(value2)) {
      return value1;
    }
    if (value1.size() != value2.size()) {
      return Provenance.UNKNOWN_1;
    }
    return value1.union(value2);
  }

  private Provenance loaded(final FieldInsnNode f) {
    final Set<Atom> facts = new HashSet<>();
    for (final Targets.Target t : targets.named(f.name)) {
      if (t.isArray() && targets.matchRef(t, f.owner, f.name, f.desc) != null) {
        facts.add(new Atom.TargetArray(t.index()));
      }
    }
    final String key = f.name + ":" + f.desc;
    final Set<Atom> held = className.equals(f.owner) ? holders.get(key) : null;
    if (held != null) {
      facts.addAll(held);
    }
    if (held == null || !finalFields.contains(key)) {
      facts.add(Atom.UNKNOWN);
    }
    return new Provenance(Type.getType(f.desc).getSize(), facts);
  }

  private static Provenance sized(final BasicValue basic) {
    return basic == null ? null : Provenance.unknown(basic.getSize());
  }
}
