package org.quasi.versions;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.quasi.runtime.internal.FunctionalShape;
import org.quasi.runtime.internal.NearestNames;
import org.quasi.versions.internal.KeySource;

/**
 * Declares an entry point: a mutable, one-use builder (each setter returns it).
 *
 * @param <F> the functional interface
 * @since 0.1
 */
public final class EntryPointBuilder<F> {
  final MethodHandles.Lookup lookup;
  final Method method;
  final Class<F> type;
  private int[] keys = new int[0];
  private final List<int[]> fieldKeyArguments = new ArrayList<>();
  private final List<Field> fieldKeys = new ArrayList<>();
  final Map<Class<?>, List<String>> quasiInvariants = new LinkedHashMap<>();
  Method generic;
  java.util.function.BiConsumer<String, String> onDecline;
  EntryPolicy policy = EntryPolicy.DEFAULT;
  java.util.concurrent.Executor executor;

  EntryPointBuilder(final MethodHandles.Lookup lookup, final Method method, final Class<F> type) {
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.method = Objects.requireNonNull(method, "method");
    this.type = Objects.requireNonNull(type, "type");
  }

  /** The key arguments, numbered as the JVM passes them (receiver 0 for an instance method). */
  public EntryPointBuilder<F> keys(final int... indices) {
    for (final int i : indices) {
      checkArgument(i);
    }
    this.keys = indices.clone();
    return this;
  }

  /**
   * Adds a key read from a field: {@code field} (declared in or inherited by the argument's declared type) of JVM
   * argument {@code argument}, read by the dispatcher on every call; the argument becomes a key too. For
   * {@code this.current} of an instance method: {@code keyField(0, "current")}. The field needs no guard: the
   * version for a value is only called when the dispatcher's read equals it.
   *
   * @throws IllegalArgumentException when the argument is out of range or primitive, or the field does not exist
   *     (nearest names listed), is static, or is volatile (each read of it is an acquire that the dispatcher's one
   *     read cannot stand for)
   */
  public EntryPointBuilder<F> keyField(final int argument, final String field) {
    checkArgument(argument);
    final Class<?> owner = argument == 0 && !Modifier.isStatic(method.getModifiers()) ? method.getDeclaringClass()
        : method.getParameterTypes()[Modifier.isStatic(method.getModifiers()) ? argument : argument - 1];
    if (owner.isPrimitive() || owner.isArray()) {
      throw new IllegalArgumentException("argument " + argument + " of " + method + " is a " + owner.getName()
          + ": it has no field " + field);
    }
    final Field f = instanceField(owner, field);
    fieldKeyArguments.add(new int[] {argument});
    fieldKeys.add(f);
    return this;
  }

  /**
   * Adds a key written as in a spec file's {@code entry} line: {@code this}, {@code this.FIELD}, {@code argN} or
   * {@code argN.FIELD}, where {@code N} counts the method's declared parameters from 0 (so {@code arg0} of an
   * instance method is JVM argument 1).
   *
   * @throws IllegalArgumentException when the text is not one of these forms, names {@code this} in a static
   *     method, or a field that {@link #keyField} refuses
   */
  public EntryPointBuilder<F> key(final String written) {
    final String text = written.strip();
    final int dot = text.indexOf('.');
    final String base = dot < 0 ? text : text.substring(0, dot);
    final boolean isStatic = Modifier.isStatic(method.getModifiers());
    final int argument;
    if (base.equals("this")) {
      if (isStatic) {
        throw new IllegalArgumentException("key '" + text + "': " + method + " is static, it has no 'this'");
      }
      argument = 0;
    } else if (base.matches("arg[0-9]{1,3}")) {
      final int n = Integer.parseInt(base.substring(3));
      if (n >= method.getParameterCount()) {
        throw new IllegalArgumentException("key '" + text + "': " + method + " takes " + method.getParameterCount()
            + " parameters");
      }
      argument = isStatic ? n : n + 1;
    } else {
      throw new IllegalArgumentException("key '" + text + "': expected this, this.FIELD, argN or argN.FIELD");
    }
    if (dot >= 0) {
      return keyField(argument, text.substring(dot + 1));
    }
    final int[] more = java.util.Arrays.copyOf(keys, keys.length + 1);
    more[keys.length] = argument;
    this.keys = more;
    return this;
  }

  private void checkArgument(final int i) {
    final int n = Modifier.isStatic(method.getModifiers()) ? method.getParameterCount()
        : method.getParameterCount() + 1;
    if (i < 0 || i >= n) {
      throw new IllegalArgumentException("key argument " + i + " out of range: " + method + " takes " + n
          + " JVM arguments");
    }
  }

  private static Field instanceField(final Class<?> owner, final String name) {
    final List<String> names = new ArrayList<>();
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      for (final Field f : k.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          if (Modifier.isStatic(f.getModifiers())) {
            throw new IllegalArgumentException("field " + k.getName() + "." + name
                + " is static: a key field is read from an argument");
          }
          if (Modifier.isVolatile(f.getModifiers())) {
            throw new IllegalArgumentException("field " + k.getName() + "." + name + " is volatile: each of "
                + "its reads is an acquire, which one read by the dispatcher cannot stand for");
          }
          return f;
        }
        if (!Modifier.isStatic(f.getModifiers())) {
          names.add(f.getName());
        }
      }
    }
    throw new IllegalArgumentException("no field " + name + " in " + owner.getName() + " or its superclasses; "
        + "nearest: " + String.join(", ", NearestNames.names(name, names, 3)));
  }

  /** Where each key value comes from: argument keys (and the arguments field keys read), then field keys. */
  List<KeySource> keySources() {
    final Class<?>[] params = FunctionalShape.of(type, "an entry point").methodType().parameterArray();
    final List<KeySource> sources = new ArrayList<>();
    final java.util.Set<Integer> arguments = new java.util.LinkedHashSet<>();
    for (final int k : keys) {
      arguments.add(k);
    }
    for (final int[] a : fieldKeyArguments) {
      arguments.add(a[0]);
    }
    for (final int a : arguments) {
      if (a >= params.length) {
        throw new IllegalArgumentException(type.getName() + "'s method takes " + params.length
            + " arguments; key argument " + a + " is not one of them");
      }
      sources.add(new KeySource(a, null, params[a]));
    }
    for (int i = 0; i < fieldKeys.size(); i++) {
      sources.add(new KeySource(fieldKeyArguments.get(i)[0], fieldKeys.get(i), fieldKeys.get(i).getType()));
    }
    return sources;
  }

  /** Fields of {@code owner} the specializer may fold as quasi-invariants. */
  public EntryPointBuilder<F> quasiInvariant(final Class<?> owner, final String... fields) {
    quasiInvariants.computeIfAbsent(owner, o -> new ArrayList<>()).addAll(List.of(fields));
    return this;
  }

  /**
   * The method the generic version calls, when it is not the method specialized: quasi-agent moves an entry
   * method's original body to a private synthetic method, which the generic version calls, while the specializer
   * reads the original body from the unwoven class file under the method's own name.
   *
   * @throws IllegalArgumentException when its parameter and return types or its static-ness differ from the method's
   */
  public EntryPointBuilder<F> generic(final Method genericMethod) {
    Objects.requireNonNull(genericMethod, "genericMethod");
    if (!java.util.Arrays.equals(genericMethod.getParameterTypes(), method.getParameterTypes())
        || genericMethod.getReturnType() != method.getReturnType()
        || Modifier.isStatic(genericMethod.getModifiers()) != Modifier.isStatic(method.getModifiers())
        || genericMethod.getDeclaringClass() != method.getDeclaringClass()) {
      throw new IllegalArgumentException("the generic method " + genericMethod + " does not have the shape of "
          + method);
    }
    this.generic = genericMethod;
    return this;
  }

  /**
   * Called, outside any lock, with the key (as {@link EntryPoint#declinedBecause} lists it) and the reason each time
   * a key's specialization is declined.
   */
  public EntryPointBuilder<F> onDecline(final java.util.function.BiConsumer<String, String> listener) {
    this.onDecline = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * The executor a {@link EntryPolicy#background} entry point queues its specializations to, instead of Quasi's
   * own single daemon thread. A {@link java.util.concurrent.RejectedExecutionException} from it leaves the key
   * generic (counted in {@link EntryCounters#rejected}); it is unused when the policy specializes in the caller.
   */
  public EntryPointBuilder<F> specializeIn(final java.util.concurrent.Executor specializer) {
    this.executor = Objects.requireNonNull(specializer, "specializer");
    return this;
  }

  public EntryPointBuilder<F> policy(final EntryPolicy newPolicy) {
    this.policy = Objects.requireNonNull(newPolicy, "policy");
    return this;
  }

  /**
   * Declares the entry point.
   *
   * @throws IllegalArgumentException when the lookup lacks access
   */
  public EntryPoint<F> build() {
    return new EntryPoint<>(this);
  }
}
