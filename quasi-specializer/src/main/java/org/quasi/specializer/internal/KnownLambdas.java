package org.quasi.specializer.internal;

import static org.objectweb.asm.Opcodes.*;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.quasi.specializer.internal.Value.Known;

/**
 * Known lambdas: an {@code invokedynamic} through {@code LambdaMetafactory.metafactory} or {@code altMetafactory}
 * makes a {@link Virtual} lambda holding its captured values; a call of its functional method becomes a call of its
 * implementation method with the captured values first, which the {@link CallSpecializer} then specializes like any
 * call (inlined, folded, or left residual). If the lambda escapes, the residual code keeps the original
 * {@code invokedynamic} with the captured values ({@link Materializer}).
 *
 * @implNote Calls through a lambda are specialized when the functional method's parameters and the implementation's
 *     agree without boxing or unboxing (same primitive, or references, with the metafactory's cast made by a
 *     residual {@code checkcast} when not proven), and so do their return types; constructor references
 *     ({@code Foo::new}) are not. Otherwise the lambda is materialized and the interface call left residual.
 *     Lambdas are never compared by identity without being materialized: a non-capturing lambda is one shared
 *     instance per call site.
 */
final class KnownLambdas {
  private static final String FACTORY = "java/lang/invoke/LambdaMetafactory";
  private static final int FLAG_MARKERS = 2;
  private static final int FLAG_BRIDGES = 4;

  private final PartialEvaluator ev;
  /** The residual form of each lambda {@code invokedynamic} (bootstrap arguments the hidden class can resolve). */
  private final Map<InvokeDynamicInsnNode, InvokeDynamicInsnNode> residualForms = new IdentityHashMap<>();

  KnownLambdas(final PartialEvaluator ev) {
    this.ev = ev;
  }

  /** Whether {@code d} makes a lambda this class understands. */
  static boolean applies(final InvokeDynamicInsnNode d) {
    return d.bsm.getOwner().equals(FACTORY)
        && (d.bsm.getName().equals("metafactory") || d.bsm.getName().equals("altMetafactory"))
        && d.bsmArgs.length >= 3 && d.bsmArgs[1] instanceof Handle && d.bsmArgs[0] instanceof Type;
  }

  /**
   * Returns the virtual lambda made by {@code d} from {@code captures}, or null when it stays residual.
   *
   * @param residualForm {@code d} with its bootstrap arguments rewritten for the hidden class, computed once per
   *                     instruction by the caller
   */
  Virtual create(final Frame f, final InvokeDynamicInsnNode d, final Value[] captures,
      final java.util.function.Supplier<InvokeDynamicInsnNode> residualForm) {
    final Class<?> itf = ev.session.repository.classFor(Type.getReturnType(d.desc).getInternalName(),
        f.method.declaringClass);
    if (itf == null || !itf.isInterface()) {
      return null;
    }
    final Value[] values = new Value[captures.length];
    for (int i = 0; i < captures.length; i++) {
      // A captured virtual value is stored into the lambda object: it escapes.
      values[i] = captures[i] instanceof Virtual v ? ev.materializer.materialize(v) : captures[i];
      if (values[i] instanceof Value.Uninit) {
        return null;
      }
    }
    return Virtual.lambda(itf, residualForms.computeIfAbsent(d, x -> residualForm.get()), d, values);
  }

  /**
   * If {@code m} calls the functional method of virtual lambda {@code args[0]}, pushes the implementation's
   * arguments back on {@code f}'s stack and returns the call of the implementation to specialize instead; returns
   * null otherwise (nothing changed).
   */
  MethodInsnNode redirect(final Frame f, final MethodInsnNode m, final Value[] args) {
    if (args.length == 0 || !(args[0] instanceof Virtual v) || v.shape != Virtual.Shape.LAMBDA
        || m.getOpcode() != INVOKEINTERFACE && m.getOpcode() != INVOKEVIRTUAL) {
      return null;
    }
    final InvokeDynamicInsnNode d = v.lambdaSite;
    if (!m.name.equals(d.name) || !descriptors(d).contains(m.desc)) {
      return null;
    }
    final Handle impl = (Handle) d.bsmArgs[1];
    final int opcode = switch (impl.getTag()) {
      case H_INVOKESTATIC -> INVOKESTATIC;
      case H_INVOKEVIRTUAL -> INVOKEVIRTUAL;
      case H_INVOKEINTERFACE -> INVOKEINTERFACE;
      case H_INVOKESPECIAL -> INVOKESPECIAL;
      default -> -1;
    };
    final Class<?> owner = ev.session.repository.classFor(impl.getOwner(), f.method.declaringClass);
    final ClassRepository.ResolvedMethod resolved = owner == null ? null
        : ev.session.repository.resolve(owner, impl.getName(), impl.getDesc());
    if (opcode < 0 || resolved == null
        || opcode == INVOKESPECIAL && !Modifier.isPrivate(resolved.modifiers())
        || !ev.session.access.memberAccessible(owner, resolved.declaring(), resolved.modifiers())) {
      return null;
    }
    // The implementation's parameters: the receiver (for instance methods) then its declared parameters.
    final List<Type> implParams = new ArrayList<>();
    if (opcode != INVOKESTATIC) {
      implParams.add(Type.getObjectType(impl.getOwner()));
    }
    implParams.addAll(List.of(Type.getArgumentTypes(impl.getDesc())));
    final Type[] samParams = Type.getArgumentTypes(m.desc);
    final Value[] captured = v.arguments;
    if (implParams.size() != captured.length + samParams.length
        || !returnsAlike(Type.getReturnType(impl.getDesc()), Type.getReturnType(m.desc))) {
      return null;
    }
    for (int i = 0; i < samParams.length; i++) {
      final Type to = implParams.get(captured.length + i);
      if (!passesAlike(samParams[i], to)) {
        return null;
      }
      if (to.getSort() >= Type.ARRAY && !to.equals(samParams[i])) {
        final Class<?> c = ev.session.repository.classFor(to, f.method.declaringClass);
        if (c == null || !ev.session.access.classAccessible(c)) {
          return null;
        }
      }
    }
    for (final Value c : captured) {
      f.push(c);
    }
    for (int i = 0; i < samParams.length; i++) {
      f.push(cast(f, args[i + 1], samParams[i], implParams.get(captured.length + i)));
    }
    return new MethodInsnNode(opcode, impl.getOwner(), impl.getName(), impl.getDesc(), impl.isInterface());
  }

  /** The descriptors the lambda's class implements its functional method with: the erased one and any bridges. */
  private static List<String> descriptors(final InvokeDynamicInsnNode d) {
    final List<String> out = new ArrayList<>();
    out.add(((Type) d.bsmArgs[0]).getDescriptor());
    if (d.bsm.getName().equals("altMetafactory") && d.bsmArgs.length > 3 && d.bsmArgs[3] instanceof Integer flags) {
      int i = 4;
      if ((flags & FLAG_MARKERS) != 0 && i < d.bsmArgs.length) {
        i += 1 + (Integer) d.bsmArgs[i];
      }
      if ((flags & FLAG_BRIDGES) != 0 && i < d.bsmArgs.length) {
        final int n = (Integer) d.bsmArgs[i];
        for (int k = 1; k <= n && i + k < d.bsmArgs.length; k++) {
          out.add(((Type) d.bsmArgs[i + k]).getDescriptor());
        }
      }
    }
    return out;
  }

  private static boolean passesAlike(final Type from, final Type to) {
    final boolean fromRef = from.getSort() >= Type.ARRAY;
    final boolean toRef = to.getSort() >= Type.ARRAY;
    return fromRef && toRef || from.getSort() == to.getSort();
  }

  private static boolean returnsAlike(final Type impl, final Type sam) {
    return impl.getSort() >= Type.ARRAY && sam.getSort() >= Type.ARRAY || impl.getSort() == sam.getSort();
  }

  /** The metafactory's cast of a reference argument to the implementation's parameter type. */
  private Value cast(final Frame f, final Value v, final Type from, final Type to) {
    if (to.getSort() < Type.ARRAY || to.equals(from) || to.getDescriptor().equals("Ljava/lang/Object;")) {
      return v;
    }
    final Class<?> c = ev.session.repository.classFor(to, f.method.declaringClass);
    if (c != null && (v instanceof Known k && (k.value() == null || c.isInstance(k.value()))
        || v instanceof Virtual w && w.shape != Virtual.Shape.LAMBDA && c.isAssignableFrom(w.type))) {
      return v;
    }
    return ev.emit(new TypeInsnNode(CHECKCAST, to.getInternalName()), new Value[] {v}, Value.Kind.REF);
  }
}
