package org.quasi.runtime.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The one abstract method of a functional interface, as the repluggers see it: the "function" being replugged.
 *
 * <p>An interface is functional when, after discarding the public methods of {@link Object} and methods whose
 * signature is overridden by a more specific abstract or default one, exactly one abstract method remains. Generic
 * interfaces such as {@code Function<A, B>} are accepted in their erased form ({@code apply(Object)Object}).
 *
 * @param type the functional interface
 * @param method its single abstract method
 * @param methodType the method's erased type, without the receiver
 */
public record FunctionalShape(Class<?> type, Method method, MethodType methodType) {

  /** Why an interface has no functional shape; {@code namesUser}: the message ends with who needs one method. */
  private record NotFunctional(String reason, boolean namesUser) {
  }

  /** Per interface: its {@link FunctionalShape}, or the {@link NotFunctional} reason it has none. */
  private static final ClassValue<Object> SHAPES = new ClassValue<>() {
    @Override
    protected Object computeValue(final Class<?> type) {
      return find(type);
    }
  };

  /** Checks the components; {@link #of(Class)} is the way to make one. */
  public FunctionalShape {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(methodType, "methodType");
  }

  /**
   * Finds the single abstract method of {@code type}.
   *
   * @throws IllegalArgumentException with the reason, when {@code type} is not an interface or does not have exactly
   *     one abstract method
   */
  public static FunctionalShape of(final Class<?> type) {
    return of(type, "a replugger");
  }

  /**
   * Finds the single abstract method of {@code type}, for a user other than a replugger.
   *
   * @param user who needs the one method, for the message: "a replugger", "an entry point"
   * @throws IllegalArgumentException as {@link #of(Class)}
   * @implNote The answer is computed once per interface and kept with it ({@link ClassValue}): every replugger and
   *     every version of an entry point asks again, and the search reflects over the interface's methods and over
   *     {@link Object}'s, where a method {@code Object} lacks costs an exception.
   */
  public static FunctionalShape of(final Class<?> type, final String user) {
    Objects.requireNonNull(type, "functional interface type is null");
    final Object shape = SHAPES.get(type);
    if (shape instanceof NotFunctional refusal) {
      throw new IllegalArgumentException(refusal.reason() + (refusal.namesUser() ? ", " + user
          + " needs exactly one" : ""));
    }
    return (FunctionalShape) shape;
  }

  /** The search {@link #of(Class, String)} caches. */
  private static Object find(final Class<?> type) {
    if (!type.isInterface() || type.isAnnotation()) {
      return new NotFunctional(type.getName() + " is not a functional interface: it is not an interface", false);
    }
    // Keyed by name and parameter types: an interface that redeclares an inherited method appears once.
    final Map<String, Method> abstractMethods = new LinkedHashMap<>();
    final Map<String, Method> defaults = new LinkedHashMap<>();
    for (final Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers()) || isPublicObjectMethod(m)) {
        continue;
      }
      final String key = m.getName() + Arrays.toString(m.getParameterTypes());
      if (m.isDefault()) {
        defaults.put(key, m);
      } else {
        abstractMethods.merge(key, m, FunctionalShape::moreSpecific);
      }
    }
    abstractMethods.keySet().removeAll(defaults.keySet());
    if (abstractMethods.size() != 1) {
      final List<String> names = new ArrayList<>();
      abstractMethods.values().forEach(m -> names.add(m.getName()));
      return new NotFunctional(type.getName() + " is not a functional interface: it has "
          + abstractMethods.size() + " abstract methods"
          + (names.isEmpty() ? "" : " (" + names.stream().sorted().collect(Collectors.joining(", ")) + ")"), true);
    }
    final Method method = abstractMethods.values().iterator().next();
    return new FunctionalShape(type, method, MethodType.methodType(method.getReturnType(), method.getParameterTypes()));
  }

  /**
   * Checks that {@code target} may be plugged in for this interface.
   *
   * @throws NullPointerException when it is null
   * @throws IllegalArgumentException when it does not implement the interface (possible through raw types)
   */
  public <T> T checkTarget(final Object target) {
    if (target == null) {
      throw new NullPointerException("cannot plug null as a " + type.getName());
    }
    if (!type.isInstance(target)) {
      throw new IllegalArgumentException("cannot plug " + target.getClass().getName() + " as a " + type.getName()
          + ": it does not implement that interface");
    }
    @SuppressWarnings("unchecked")
    final T typed = (T) target;
    return typed;
  }

  /**
   * The functional method as a virtual handle, {@code (T, args) -> R}.
   *
   * @param lookup finds the method; {@code null} for the public lookup
   * @throws IllegalArgumentException when the lookup may not call it
   */
  public MethodHandle virtualHandle(final MethodHandles.Lookup lookup) {
    try {
      return (lookup != null ? lookup : MethodHandles.publicLookup())
          .findVirtual(type, method.getName(), methodType);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call " + method + " from "
          + (lookup != null ? lookup.lookupClass().getName() : "the public lookup") + ": " + e.getMessage()
          + "; pass a MethodHandles.lookup() from a class that can access " + type.getName(), e);
    }
  }

  private static Method moreSpecific(final Method a, final Method b) {
    return a.getReturnType().isAssignableFrom(b.getReturnType()) ? b : a;
  }

  private static boolean isPublicObjectMethod(final Method m) {
    try {
      Object.class.getMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
