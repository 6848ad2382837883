package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MultiANewArrayInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;

/**
 * Decides, once per method, whether its body may be specialized into the hidden class: every instruction must be one
 * the partial evaluator handles, and every class and member it references must be reachable from the hidden class.
 * Screening the whole body up front (rather than instruction by instruction while specializing) means a callee is
 * either inlined completely or called, never half-inlined. A callee refused only for some instructions
 * ({@link #refusedInstructions}) is inlined only where a whole inlining trial reached none of them; should the
 * request's own evaluation reach one anyway, the engine evaluates the request again calling such callees. A request's
 * own method refused so is specialized where its known arguments cut those instructions off, and declined, with the
 * reached instruction's reason, where they do not.
 */
final class CalleeScreen {
  private final ClassRepository repository;
  private final AccessPolicy access;

  private final String id;

  CalleeScreen(final ClassRepository repository, final AccessPolicy access) {
    this.repository = repository;
    this.access = access;
    final Class<?> l = access.lookupClass();
    this.id = l.getName() + "@" + System.identityHashCode(l.getClassLoader()) + "/" + access.fullPrivilege();
  }

  /** Identifies what this screen decides: the same for every screen of the same lookup class and privilege. */
  String id() {
    return id;
  }

  AccessPolicy access() {
    return access;
  }

  MethodFacts.Refusal refusal(final MethodFacts facts) {
    for (int i = 0; i < facts.insns.length; i++) {
      final String why = problem(facts, facts.insns[i]);
      if (why != null) {
        return new MethodFacts.Refusal(why, i, facts.insns[i].getOpcode());
      }
    }
    for (final org.objectweb.asm.tree.TryCatchBlockNode t : facts.node.tryCatchBlocks) {
      // The residual exception table names the same catch types: the hidden class must resolve them.
      final String why = t.type == null ? null : typeProblem(facts.declaringClass, Type.getObjectType(t.type));
      if (why != null) {
        final int at = facts.target(t.handler);
        return new MethodFacts.Refusal("the catch type of a handler: " + why, at, facts.insns[at].getOpcode());
      }
    }
    return null;
  }

  /**
   * The instructions a refused method is refused for, when they are all it is refused for (no subroutine, no
   * handler's catch type): such a method may still be inlined where evaluation reaches none of them, since code that
   * is not reached is not copied into the hidden class (a {@code checkArgument} whose failure path calls a
   * package-private helper, inlined on a known {@code true}). Null when the method is refused as a whole.
   */
  java.util.BitSet refusedInstructions(final MethodFacts facts) {
    final java.util.BitSet refused = new java.util.BitSet();
    for (int i = 0; i < facts.insns.length; i++) {
      final int op = facts.insns[i].getOpcode();
      if (op == JSR || op == RET) {
        return null;
      }
      if (problem(facts, facts.insns[i]) != null) {
        refused.set(i);
      }
    }
    for (final org.objectweb.asm.tree.TryCatchBlockNode t : facts.node.tryCatchBlocks) {
      if (t.type != null && typeProblem(facts.declaringClass, Type.getObjectType(t.type)) != null) {
        return null;
      }
    }
    return refused.isEmpty() ? null : refused;
  }

  /** Why instruction {@code index} of {@code facts} may not be in the hidden class, or null when it may. */
  String problem(final MethodFacts facts, final int index) {
    return problem(facts, facts.insns[index]);
  }

  private String problem(final MethodFacts facts, final AbstractInsnNode insn) {
    final Class<?> context = facts.declaringClass;
    final int op = insn.getOpcode();
    switch (op) {
      case JSR, RET:
        return "jsr/ret subroutines are not handled";
      default:
        break;
    }
    if (insn instanceof FieldInsnNode f) {
      // A read in the lookup class's own code: residual, it goes through the lookup's getter handle, with the lookup
      // class's rights (HeapReader.protectedGetter).
      final boolean ownRead = (op == GETFIELD || op == GETSTATIC) && context == access.lookupClass()
          && access.fullPrivilege();
      return fieldProblem(context, f.owner, f.name, ownRead);
    }
    if (insn instanceof MethodInsnNode m) {
      // A super call or a virtual call in the lookup class's own code: residual, it goes through a handle of the
      // lookup's, with the lookup class's rights (CallSpecializer.residualSuperCall, residualProtectedCall).
      final boolean ownCall = (op == INVOKESPECIAL && !m.name.equals("<init>") || op == INVOKEVIRTUAL)
          && context == access.lookupClass() && access.fullPrivilege();
      final String p = methodProblem(context, m.owner, m.name, m.desc, ownCall);
      return p == null && op == INVOKESPECIAL && !m.name.equals("<init>") ? superCallProblem(context, m) : p;
    }
    if (insn instanceof TypeInsnNode t) {
      return typeProblem(context, Type.getObjectType(t.desc));
    }
    if (insn instanceof MultiANewArrayInsnNode m) {
      return typeProblem(context, Type.getType(m.desc));
    }
    if (insn instanceof LdcInsnNode l) {
      return constantProblem(context, l.cst);
    }
    if (insn instanceof InvokeDynamicInsnNode d) {
      String p = handleProblem(context, d.bsm);
      for (int i = 0; p == null && i < d.bsmArgs.length; i++) {
        p = constantProblem(context, d.bsmArgs[i]);
      }
      return p == null ? descriptorProblem(context, Type.getMethodType(d.desc)) : p;
    }
    return null;
  }

  private String typeProblem(final Class<?> context, final Type type) {
    final Class<?> c = repository.classFor(type, context);
    if (c == null) {
      return "class " + type.getClassName() + " cannot be loaded from " + context.getName();
    }
    return access.classAccessible(c) ? null
        : "class " + c.getName() + " is not accessible from lookup class " + access.lookupClass().getName();
  }

  private String descriptorProblem(final Class<?> context, final Type methodType) {
    String p = typeProblem(context, methodType.getReturnType());
    for (final Type t : methodType.getArgumentTypes()) {
      if (p == null) {
        p = typeProblem(context, t);
      }
    }
    return p;
  }

  /**
   * Why a reference to field {@code owner.name} may not be in the hidden class, or null. With {@code ownRead} (a
   * {@code getfield} or {@code getstatic} in the lookup class's own code) a protected field the lookup class inherits
   * from another package passes: the hidden class, no subclass, could not read it, but the read is folded or left
   * residual through the lookup's getter handle. A write of such a field is refused: through a setter handle it would
   * escape what the residual code's guarded writes are checked by.
   */
  private String fieldProblem(final Class<?> context, final String owner, final String name,
      final boolean ownRead) {
    final Class<?> c = repository.classFor(owner, context);
    if (c == null) {
      return "class " + owner + " cannot be loaded from " + context.getName();
    }
    final Field f = repository.resolveField(c, name);
    if (f == null) {
      return "field " + owner + "." + name + " does not resolve";
    }
    if (access.memberAccessible(c, f.getDeclaringClass(), f.getModifiers())) {
      return null;
    }
    final String field = "field " + f.getDeclaringClass().getName() + "." + name;
    if (inheritedProtected(context, c, f)) {
      return ownRead ? null : field + " is protected in another package: the hidden residual class, no subclass, "
          + "may not use it, and it is read through the lookup's handle only in the lookup class's own code, and "
          + "never written";
    }
    return field + " is not accessible from lookup class " + access.lookupClass().getName();
  }

  /** Whether {@code f}, reached through {@code c}, is a protected field {@code context} inherits from another package. */
  boolean inheritedProtected(final Class<?> context, final Class<?> c, final Field f) {
    return Modifier.isProtected(f.getModifiers()) && f.getDeclaringClass().isAssignableFrom(context)
        && access.classAccessible(c);
  }

  /**
   * Why a reference to method {@code owner.name desc} may not be in the hidden class, or null. With {@code ownCall}
   * (an {@code invokespecial} or {@code invokevirtual} in the lookup class's own code) a protected method the lookup
   * class inherits from another package passes: the hidden class, no subclass, could not call it, but such a call is
   * specialized in place or left residual through the lookup's {@code findSpecial} or {@code findVirtual} handle,
   * which the lookup class's own rights allow ({@code CallSpecializer.residualSuperCall},
   * {@code residualProtectedCall}).
   */
  private String methodProblem(final Class<?> context, final String owner, final String name, final String desc,
      final boolean ownCall) {
    final Class<?> c = repository.classFor(owner, context);
    if (c == null) {
      return "class " + owner + " cannot be loaded from " + context.getName();
    }
    if (c.isArray() && name.equals("clone")) {
      // Arrays override the protected Object.clone with a public method (JLS 10.7).
      return access.classAccessible(c) ? null : "class " + c.getName() + " is not accessible";
    }
    final ClassRepository.ResolvedMethod m = repository.resolve(c, name, desc);
    if (m == null && repository.signaturePolymorphic(c, name)) {
      // Public, not caller-sensitive, and linked by the JVM from the call site's descriptor, in the hidden class as
      // in the original: it stays a residual call (never folded or inlined), which may write any heap.
      return descriptorProblem(context, Type.getMethodType(desc));
    }
    if (m == null) {
      final String unlisted = repository.unlistedMethods(c);
      return "method " + owner + "." + name + desc + " does not resolve" + (unlisted == null ? "" : ": " + unlisted);
    }
    final boolean inheritedProtected = ownCall && Modifier.isProtected(m.modifiers())
        && m.declaring().isAssignableFrom(context) && access.classAccessible(c);
    if (!inheritedProtected && !access.memberAccessible(c, m.declaring(), m.modifiers())) {
      return "method " + m.declaring().getName() + "." + name + desc + " is not accessible from lookup class "
          + access.lookupClass().getName();
    }
    if (repository.callerSensitive(m)) {
      // Specialized into the hidden class, the call would have the hidden class as its caller: another answer.
      return "calls caller-sensitive " + m.declaring().getName() + "." + name + desc
          + ", whose result depends on its calling class";
    }
    return descriptorProblem(context, Type.getMethodType(desc));
  }

  /**
   * A hidden class cannot make a super call ({@code invokespecial} of an inherited method), so such a call is
   * specialized in place, or, in the lookup class's own methods, left residual through a {@code findSpecial} method
   * handle; elsewhere its target must therefore be specializable itself. Private methods are fine: residual code
   * calls them with {@code invokevirtual} as a nestmate.
   */
  private String superCallProblem(final Class<?> context, final MethodInsnNode m) {
    final Class<?> c = repository.classFor(m.owner, context);
    final ClassRepository.ResolvedMethod r = repository.resolve(c, m.name, m.desc);
    if (Modifier.isPrivate(r.modifiers()) || context == access.lookupClass() && access.fullPrivilege()) {
      // Private: a nestmate call. From the lookup class itself: if the target cannot be specialized in place, the
      // call stays residual through a findSpecial method handle (CallSpecializer.residualSuperCall).
      return null;
    }
    final String modifiers = modifierProblem(r.modifiers());
    if (modifiers != null) {
      return "super call to " + modifiers + " " + r.declaring().getName() + "." + m.name + m.desc;
    }
    final MethodFacts target = repository.facts(r.declaring(), m.name, m.desc, this);
    if (target == null) {
      return "super call to " + r.declaring().getName() + "." + m.name + m.desc + " whose bytecode is unavailable";
    }
    return target.refusal == null ? null
        : "super call to " + r.declaring().getName() + "." + m.name + m.desc + " that cannot be specialized ("
            + target.refusal.reason() + ")";
  }

  private String handleProblem(final Class<?> context, final Handle h) {
    return switch (h.getTag()) {
      case H_GETFIELD, H_GETSTATIC, H_PUTFIELD, H_PUTSTATIC -> fieldProblem(context, h.getOwner(), h.getName(),
          false);
      default -> methodProblem(context, h.getOwner(), h.getName(), h.getDesc(), false);
    };
  }

  private String constantProblem(final Class<?> context, final Object cst) {
    if (cst instanceof Type t) {
      return t.getSort() == Type.METHOD ? descriptorProblem(context, t) : typeProblem(context, t);
    }
    if (cst instanceof Handle h) {
      return handleProblem(context, h);
    }
    if (cst instanceof ConstantDynamic d) {
      String p = handleProblem(context, d.getBootstrapMethod());
      for (int i = 0; p == null && i < d.getBootstrapMethodArgumentCount(); i++) {
        p = constantProblem(context, d.getBootstrapMethodArgument(i));
      }
      return p == null ? typeProblem(context, Type.getType(d.getDescriptor())) : p;
    }
    return null;
  }

  /** Returns whether a method's modifiers make it impossible to specialize (no bytecode to read). */
  static String modifierProblem(final int modifiers) {
    if (Modifier.isNative(modifiers)) {
      return "native method";
    }
    if (Modifier.isAbstract(modifiers)) {
      return "abstract method";
    }
    return null;
  }
}
