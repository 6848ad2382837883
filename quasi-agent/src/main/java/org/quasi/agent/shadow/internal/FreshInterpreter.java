package org.quasi.agent.shadow.internal;

import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Interpreter;
import org.objectweb.asm.tree.analysis.Value;

/**
 * An ASM {@link Interpreter} that knows, of every reference, whether it is fresh: allocated by the method being
 * analysed ({@code new}, {@code newarray}, {@code anewarray}, {@code multianewarray}), returned by a JDK method that
 * always returns a new object ({@link JdkEffects#returnsFresh}) or its fresh receiver
 * ({@link JdkEffects#returnsReceiver}), or, in a constructor, {@code this}. A write into a
 * fresh object changes nothing its caller could see before the method returns. Types and sizes are
 * {@link BasicInterpreter}'s; a merge is fresh only when both sides are.
 */
final class FreshInterpreter extends Interpreter<FreshInterpreter.FreshValue> {

  /** A value of the analysis: the basic value (type, size) and whether it is a fresh reference. */
  record FreshValue(BasicValue basic, boolean fresh) implements Value {
    @Override
    public int getSize() {
      return basic.getSize();
    }
  }

  private final BasicInterpreter basic = new BasicInterpreter();
  private final boolean constructor;

  FreshInterpreter(final boolean constructor) {
    super(Opcodes.ASM9);
    this.constructor = constructor;
  }

  @Override
  public FreshValue newValue(final Type type) {
    return wrap(basic.newValue(type), false);
  }

  @Override
  public FreshValue newParameterValue(final boolean isInstanceMethod, final int local, final Type type) {
    // The object a constructor initializes is as new as one the method allocated itself.
    return wrap(basic.newValue(type), constructor && isInstanceMethod && local == 0);
  }

  @Override
  public FreshValue newOperation(final AbstractInsnNode insn) throws AnalyzerException {
    return wrap(basic.newOperation(insn), insn.getOpcode() == Opcodes.NEW);
  }

  @Override
  public FreshValue copyOperation(final AbstractInsnNode insn, final FreshValue value) throws AnalyzerException {
    return wrap(basic.copyOperation(insn, value.basic()), value.fresh());
  }

  @Override
  public FreshValue unaryOperation(final AbstractInsnNode insn, final FreshValue value) throws AnalyzerException {
    final int op = insn.getOpcode();
    final boolean fresh = op == Opcodes.NEWARRAY || op == Opcodes.ANEWARRAY
        || op == Opcodes.CHECKCAST && value.fresh();
    return wrap(basic.unaryOperation(insn, value.basic()), fresh);
  }

  @Override
  public FreshValue binaryOperation(final AbstractInsnNode insn, final FreshValue value1, final FreshValue value2)
      throws AnalyzerException {
    return wrap(basic.binaryOperation(insn, value1.basic(), value2.basic()), false);
  }

  @Override
  public FreshValue ternaryOperation(final AbstractInsnNode insn, final FreshValue value1, final FreshValue value2,
      final FreshValue value3) throws AnalyzerException {
    return wrap(basic.ternaryOperation(insn, value1.basic(), value2.basic(), value3.basic()), false);
  }

  @Override
  public FreshValue naryOperation(final AbstractInsnNode insn, final List<? extends FreshValue> values)
      throws AnalyzerException {
    final boolean fresh = insn.getOpcode() == Opcodes.MULTIANEWARRAY
        || insn instanceof MethodInsnNode call && (JdkEffects.returnsFresh(call)
            || JdkEffects.returnsReceiver(call) && !values.isEmpty() && values.get(0).fresh());
    return wrap(basic.naryOperation(insn, values.stream().map(FreshValue::basic).toList()), fresh);
  }

  @Override
  public void returnOperation(final AbstractInsnNode insn, final FreshValue value, final FreshValue expected) {
    // Nothing to check: the verifier already did.
  }

  @Override
  public FreshValue merge(final FreshValue value1, final FreshValue value2) {
    final BasicValue merged = basic.merge(value1.basic(), value2.basic());
    final boolean fresh = value1.fresh() && value2.fresh();
    return merged.equals(value1.basic()) && fresh == value1.fresh() ? value1 : wrap(merged, fresh);
  }

  private static FreshValue wrap(final BasicValue value, final boolean fresh) {
    return value == null ? null : new FreshValue(value, fresh && value.isReference());
  }
}
