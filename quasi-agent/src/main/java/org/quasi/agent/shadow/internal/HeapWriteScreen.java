package org.quasi.agent.shadow.internal;

import org.objectweb.asm.Handle;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.quasi.specializer.validate.internal.ClassFiles;
import org.quasi.specializer.validate.internal.EffectScreen;
import org.quasi.specializer.validate.internal.Verdicts;

/**
 * Proves, from bytecode, that a method is free of heap writes: running it changes no field or array element that
 * existed before the call, transitively through every method it may call. Shadow mode runs only such methods twice
 * (the original and the residual code, on the same arguments), so the program cannot tell.
 *
 * <p>A method passes when it, and each method it may call,
 * <ul>
 *   <li>passes the validator's {@link EffectScreen} (no I/O, global state, randomness, time or identity hashes:
 *       the two runs must see equal inputs give equal outcomes);</li>
 *   <li>stores ({@code putfield}, {@code xastore}) only into objects it allocated itself, or into {@code this} in a
 *       constructor (a {@link FreshInterpreter} data-flow pass); never {@code putstatic} outside a static
 *       initializer;</li>
 *   <li>neither is {@code synchronized} nor contains {@code monitorenter} (the shadow runs the method on another
 *       thread, which would wait for a lock the calling thread holds);</li>
 *   <li>calls methods of the program's class path only where the target is fixed ({@code invokestatic},
 *       {@code invokespecial}, a private or final method, a method of a final class) and that target passes too;</li>
 *   <li>calls JDK methods only as {@link JdkEffects} allows (JDK methods writing into an argument only when that
 *       argument is fresh);</li>
 *   <li>uses {@code invokedynamic} only for lambdas and method references (an allocation) and string
 *       concatenation.</li>
 * </ul>
 * A virtual call that an override in the program could take elsewhere is a problem, so the proof does not depend on
 * which classes are loaded later.
 *
 * @implNote Freshness is intraprocedural: a method that passes a new array to a helper that fills it, or that writes
 *     into an array a helper returned, is not proven (the screen says why). Methods whose class file the loader
 *     cannot provide are not proven. Recursion: a method whose screen is in progress counts as free of heap writes
 *     while it is screened (its own instructions are still all checked); such provisional verdicts are not memoized.
 */
public final class HeapWriteScreen {
  /** How deep calls into the program's class path are followed before the screen gives up (a problem). */
  public static final int DEPTH = 48;

  private final ClassFiles classFiles;
  private final EffectScreen effects;
  private final Verdicts verdicts = new Verdicts();

  /** A screen reading class files through {@code loader} (null: the system class loader). */
  public HeapWriteScreen(final ClassLoader loader) {
    this.classFiles = new ClassFiles(loader == null ? ClassLoader.getSystemClassLoader() : loader);
    this.effects = new EffectScreen(classFiles);
  }

  /**
   * Returns why method {@code name desc} of {@code owner} (internal name) may write to the heap (or may behave
   * differently on equal inputs), or null when it is proven free of heap writes.
   */
  public synchronized String problem(final String owner, final String name, final String desc) {
    final String effect = effects.problem(owner, name, desc);
    if (effect != null) {
      return effect;
    }
    return screen(owner, name, desc, 0);
  }

  private String screen(final String owner, final String name, final String desc, final int depth) {
    return verdicts.verdict(owner + "." + name + desc,
        () -> depth > DEPTH ? "calls more than " + DEPTH + " methods deep (the screen stops there)" : null,
        () -> scan(owner, name, desc, depth));
  }

  private String scan(final String owner, final String name, final String desc, final int depth) {
    final ClassNode cn = classFiles.classNode(owner);
    if (cn == null) {
      return "calls " + owner.replace('/', '.') + "." + name + ", whose class file cannot be read";
    }
    final MethodNode m = cn.methods.stream().filter(x -> x.name.equals(name) && x.desc.equals(desc)).findFirst()
        .orElse(null);
    if (m == null) {
      return "calls " + owner.replace('/', '.') + "." + name + desc + ", which its class does not declare";
    }
    if ((m.access & (Opcodes.ACC_NATIVE | Opcodes.ACC_ABSTRACT)) != 0) {
      return "calls " + where(owner, m) + ", which is native or abstract";
    }
    if ((m.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
      return where(owner, m) + " is synchronized (the shadow's thread would wait for the caller's lock)";
    }
    final Frame<FreshInterpreter.FreshValue>[] frames;
    try {
      frames = new Analyzer<>(new FreshInterpreter(name.equals("<init>"))).analyze(owner, m);
    } catch (AnalyzerException e) {
      return "cannot analyse " + where(owner, m) + ": " + e.getMessage();
    }
    final AbstractInsnNode[] insns = m.instructions.toArray();
    for (int i = 0; i < insns.length; i++) {
      final Frame<FreshInterpreter.FreshValue> f = frames[i];
      if (f == null) {
        continue; // Unreachable code.
      }
      final String p = insnProblem(owner, m, insns[i], f, depth);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private String insnProblem(final String owner, final MethodNode m, final AbstractInsnNode insn,
      final Frame<FreshInterpreter.FreshValue> f, final int depth) {
    final int op = insn.getOpcode();
    final int top = f.getStackSize() - 1;
    switch (op) {
      case Opcodes.PUTSTATIC:
        if (!m.name.equals("<clinit>")) {
          final FieldInsnNode fi = (FieldInsnNode) insn;
          return where(owner, m) + " writes static field " + fi.owner.replace('/', '.') + "." + fi.name;
        }
        return null;
      case Opcodes.PUTFIELD:
        if (!f.getStack(top - 1).fresh()) {
          final FieldInsnNode fi = (FieldInsnNode) insn;
          return where(owner, m) + " writes field " + fi.owner.replace('/', '.') + "." + fi.name
              + " of an object it did not allocate";
        }
        return null;
      case Opcodes.IASTORE, Opcodes.LASTORE, Opcodes.FASTORE, Opcodes.DASTORE, Opcodes.AASTORE, Opcodes.BASTORE,
          Opcodes.CASTORE, Opcodes.SASTORE:
        return f.getStack(top - 2).fresh() ? null
            : where(owner, m) + " writes an element of an array it did not allocate";
      case Opcodes.MONITORENTER:
        return where(owner, m) + " synchronizes (the shadow's thread would wait for the caller's lock)";
      case Opcodes.INVOKEDYNAMIC:
        return indyProblem(owner, m, (InvokeDynamicInsnNode) insn);
      case Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL, Opcodes.INVOKESTATIC, Opcodes.INVOKEINTERFACE:
        return callProblem(owner, m, (MethodInsnNode) insn, f, depth);
      default:
        return null;
    }
  }

  private String callProblem(final String owner, final MethodNode m, final MethodInsnNode call,
      final Frame<FreshInterpreter.FreshValue> f, final int depth) {
    final Type[] args = Type.getArgumentTypes(call.desc);
    final int firstArg = f.getStackSize() - args.length;
    final boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
    final boolean freshReceiver = hasReceiver && f.getStack(firstArg - 1).fresh();
    if (call.owner.startsWith("[") || JdkEffects.isJdk(call.owner)) {
      final String p = JdkEffects.problem(call, freshReceiver);
      if (p != null) {
        return where(owner, m) + " " + p;
      }
      final int written = JdkEffects.writtenArgument(call);
      if (written >= 0 && !f.getStack(firstArg + written).fresh()) {
        return where(owner, m) + " calls " + call.owner.replace('/', '.') + "." + call.name
            + ", which writes into an array argument it did not allocate";
      }
      return null;
    }
    final String target = fixedTarget(call);
    if (target == null && JdkEffects.isContract(call.name, call.desc)) {
      return null;
    }
    if (target == null) {
      return where(owner, m) + " calls " + call.owner.replace('/', '.') + "." + call.name
          + " virtually: an override could write to the heap";
    }
    final String p = screen(target, call.name, call.desc, depth + 1);
    return p == null ? null : p.contains(" through ") || depth > 0 ? p : p + " (through " + where(owner, m) + ")";
  }

  /**
   * Returns the class (internal name) declaring the method {@code call} always reaches, or null when an override could
   * take it elsewhere. Resolution goes up the named owner's superclasses (JVMS 5.4.3.3, without interfaces' default
   * methods, which are virtual anyway).
   */
  private String fixedTarget(final MethodInsnNode call) {
    final ClassNode named = classFiles.classNode(call.owner);
    if (named == null) {
      return call.owner; // The screen then says the class file cannot be read.
    }
    for (ClassNode c = named; c != null; c = c.superName == null ? null : classFiles.classNode(c.superName)) {
      for (final MethodNode x : c.methods) {
        if (x.name.equals(call.name) && x.desc.equals(call.desc)) {
          final boolean fixed = call.getOpcode() == Opcodes.INVOKESTATIC
              || call.getOpcode() == Opcodes.INVOKESPECIAL
              || (x.access & (Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL | Opcodes.ACC_STATIC)) != 0
              || (named.access & Opcodes.ACC_FINAL) != 0;
          return fixed ? c.name : null;
        }
      }
      if (JdkEffects.isJdk(c.superName == null ? "java/lang/Object" : c.superName)) {
        return null;
      }
    }
    return null;
  }

  private static String indyProblem(final String owner, final MethodNode m, final InvokeDynamicInsnNode indy) {
    final Handle bsm = indy.bsm;
    if (bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
      return null;
    }
    if (bsm.getOwner().equals("java/lang/invoke/StringConcatFactory")) {
      return null;
    }
    return where(owner, m) + " uses invokedynamic with bootstrap " + bsm.getOwner().replace('/', '.') + "."
        + bsm.getName();
  }

  private static String where(final String owner, final MethodNode m) {
    return owner.replace('/', '.') + "." + m.name;
  }
}
