package org.quasi.specializer;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.quasi.runtime.internal.NearestNames;

/**
 * Entry point of run-time specialization: partial evaluation of JVM bytecode on known arguments and on quasi-invariant
 * fields of live objects (the paper's Tempo, for Java).
 *
 * <pre>{@code
 * KillFn kill = Specializer.of(MethodHandles.lookup())
 *         .method(Kernel.class, "killProc", Task.class, Task.class, int.class)
 *         .known(0, kernel).known(1, current)
 *         .quasiInvariant(Task.class, "uid", "euid")
 *         .as(KillFn.class)
 *         .specialize()
 *         .function();
 * }</pre>
 * (The same code runs in {@code SpecializerTest.killProcExample}.)
 *
 * <p>Everything the residual code does is something the caller could do itself: the residual class is a hidden
 * nestmate of the lookup class, and every class, field and method it references is checked against the lookup's
 * access first.
 *
 * @since 0.1
 */
public final class Specializer {
  private final MethodHandles.Lookup lookup;

  private Specializer(final MethodHandles.Lookup lookup) {
    this.lookup = lookup;
  }

  /**
   * Returns a specializer acting with the access of {@code lookup}. Defining the residual class needs full privilege
   * access (a lookup obtained with {@link MethodHandles#lookup()} in the caller, or {@code privateLookupIn}).
   */
  public static Specializer of(final MethodHandles.Lookup lookup) {
    return new Specializer(Objects.requireNonNull(lookup, "lookup"));
  }

  /**
   * Starts a request to specialize method {@code name} of {@code owner} with the given parameter types.
   *
   * @throws IllegalArgumentException when no such method exists (the message lists the nearest names)
   */
  public SpecializationRequest<Object> method(final Class<?> owner, final String name,
      final Class<?>... parameterTypes) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      try {
        return method(k.getDeclaredMethod(name, parameterTypes));
      } catch (NoSuchMethodException e) {
        // Try the superclass: the method may be inherited.
      }
    }
    final String nearest = Arrays.stream(owner.getDeclaredMethods())
        .map(m -> m.getName() + Arrays.toString(m.getParameterTypes()).replace('[', '(').replace(']', ')'))
        .sorted(Comparator.comparingInt(n -> NearestNames.distance(name, n.substring(0, n.indexOf('(')))))
        .limit(3).reduce((a, b) -> a + ", " + b).orElse("none");
    throw new IllegalArgumentException("No method " + owner.getName() + "." + name
        + Arrays.toString(parameterTypes).replace('[', '(').replace(']', ')') + "; nearest: " + nearest);
  }

  /**
   * Starts a request to specialize the method of {@code owner} named by {@code nameAndDescriptor}: a name alone when
   * it is not overloaded, or a name followed by a JVM descriptor, as in {@code killProc(LTask;LTask;I)I}.
   *
   * @throws IllegalArgumentException when no method or several match (the message lists the nearest)
   */
  public SpecializationRequest<Object> method(final Class<?> owner, final String nameAndDescriptor) {
    final int paren = nameAndDescriptor.indexOf('(');
    final String name = paren < 0 ? nameAndDescriptor : nameAndDescriptor.substring(0, paren);
    final String desc = paren < 0 ? null : nameAndDescriptor.substring(paren);
    final java.util.List<Method> matches = new java.util.ArrayList<>();
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      for (final Method m : k.getDeclaredMethods()) {
        if (m.getName().equals(name) && (desc == null
            || org.objectweb.asm.Type.getMethodDescriptor(m).equals(desc))) {
          matches.add(m);
        }
      }
      if (!matches.isEmpty()) {
        break;
      }
    }
    if (matches.size() == 1) {
      return method(matches.get(0));
    }
    final String candidates = Arrays.stream(owner.getDeclaredMethods())
        .sorted(Comparator.comparingInt(m -> NearestNames.distance(name, m.getName())))
        .map(m -> m.getName() + org.objectweb.asm.Type.getMethodDescriptor(m)).limit(matches.isEmpty() ? 3 : 10)
        .reduce((a, b) -> a + ", " + b).orElse("none");
    throw new IllegalArgumentException((matches.isEmpty() ? "No method " : "Several methods match ")
        + owner.getName() + "." + nameAndDescriptor + (matches.isEmpty() ? "; nearest: " : "; give a "
        + "descriptor: ") + candidates);
  }

  /**
   * Starts a request to specialize {@code method}. The residual code runs this method's own body, as
   * {@code invokespecial} would: on a receiver whose class overrides the method (a subclass, an enum constant with a
   * body) it is not what a virtual call on that receiver runs. A version manager's entry point keeps the two apart:
   * its woven method is reached only where that body is the one selected.
   */
  public SpecializationRequest<Object> method(final Method method) {
    return SpecializationRequest.start(lookup, Objects.requireNonNull(method, "method"));
  }
}
