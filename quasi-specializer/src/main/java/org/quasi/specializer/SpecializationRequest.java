package org.quasi.specializer;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.quasi.specializer.internal.Engine;
import org.quasi.specializer.internal.FieldAssumptions;
import org.quasi.runtime.internal.NearestNames;

/**
 * What to specialize: the method, which arguments are known and their values, which fields are quasi-invariant, and
 * the functional interface the residual code implements. Immutable: every configuration method returns a new
 * request.
 *
 * <p>Arguments are numbered as the JVM passes them: for an instance method, 0 is the receiver and 1.. the declared
 * parameters; for a static method, 0.. the declared parameters. Arguments not declared known are unknown and become,
 * in order, the parameters of the functional interface's method.
 *
 * @param <T> the functional interface type
 * @since 0.1
 */
public final class SpecializationRequest<T> {
  private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
      boolean.class, Boolean.class, char.class, Character.class, byte.class, Byte.class, short.class,
      Short.class, float.class, Float.class, double.class, Double.class);

  private final MethodHandles.Lookup lookup;
  private final Method method;
  private final boolean[] known;
  private final Object[] values;
  private final Set<Field> quasiInvariants;
  private final boolean foldFinals;
  private final Budgets budgets;
  private final JdkPolicy jdkPolicy;
  private final Class<T> functional;
  private final FieldAssumptions assumptions;
  private final boolean shareCode;
  /** Whether the interface's method takes the known arguments too ({@link #asReplacement}). */
  private final boolean replacement;

  private SpecializationRequest(final MethodHandles.Lookup lookup, final Method method, final boolean[] known,
      final Object[] values, final Set<Field> quasiInvariants, final boolean foldFinals, final Budgets budgets,
      final JdkPolicy jdkPolicy, final Class<T> functional, final FieldAssumptions assumptions,
      final boolean shareCode, final boolean replacement) {
    this.assumptions = assumptions;
    this.shareCode = shareCode;
    this.replacement = replacement;
    this.lookup = lookup;
    this.method = method;
    this.known = known;
    this.values = values;
    this.quasiInvariants = quasiInvariants;
    this.foldFinals = foldFinals;
    this.budgets = budgets;
    this.jdkPolicy = jdkPolicy;
    this.functional = functional;
  }

  static SpecializationRequest<Object> start(final MethodHandles.Lookup lookup, final Method method) {
    final int n = method.getParameterCount() + (Modifier.isStatic(method.getModifiers()) ? 0 : 1);
    return new SpecializationRequest<>(lookup, method, new boolean[n], new Object[n], Set.of(), true,
        Budgets.DEFAULT, JdkPolicy.CALL_ONLY, null, FieldAssumptions.NONE, false, false);
  }

  /** Returns the method this request specializes. */
  public Method method() {
    return method;
  }

  /** Returns the number of arguments (receiver included) the method takes. */
  public int argumentCount() {
    return known.length;
  }

  /**
   * Declares argument {@code index} known, with the given value (a box of the right type for a primitive parameter,
   * an instance of the parameter type or null for a reference).
   *
   * @throws IllegalArgumentException when the index is out of range or the value does not fit the parameter
   */
  public SpecializationRequest<T> known(final int index, final Object value) {
    if (index < 0 || index >= known.length) {
      throw new IllegalArgumentException("Argument index " + index + " out of range: " + method + " takes "
          + known.length + " arguments (receiver first for instance methods)");
    }
    final Class<?> type = argumentType(index);
    if (type.isPrimitive() ? !BOXES.get(type).isInstance(value) : value != null && !type.isInstance(value)) {
      throw new IllegalArgumentException("Argument " + index + " of " + method.getName() + " has type "
          + type.getName() + ", but the known value is " + (value == null ? "null"
              : value.getClass().getName() + " " + value));
    }
    if (index == 0 && !Modifier.isStatic(method.getModifiers()) && value == null) {
      throw new IllegalArgumentException("The receiver of " + method.getName() + " cannot be known to be null");
    }
    final boolean[] k = known.clone();
    final Object[] v = values.clone();
    k[index] = true;
    v[index] = value;
    return new SpecializationRequest<>(lookup, method, k, v, quasiInvariants, foldFinals, budgets, jdkPolicy,
        functional, assumptions, shareCode, replacement);
  }

  /**
   * Declares argument {@code index} known, with a value written as a literal of the parameter's type: an integer
   * ({@code 42}, {@code -7}, {@code 42L} for long), a floating-point number, {@code true}/{@code false}, a character
   * ({@code 'x'} or a single character), a string (quoted or not) for a {@code String} parameter, or {@code null}
   * for any reference parameter.
   *
   * @throws IllegalArgumentException when the literal does not fit the parameter's type
   */
  public SpecializationRequest<T> knownLiteral(final int index, final String literal) {
    if (index < 0 || index >= known.length) {
      return known(index, null);
    }
    final Class<?> type = argumentType(index);
    final String text = literal.strip();
    try {
      final Object value;
      if (!type.isPrimitive() && text.equals("null")) {
        value = null;
      } else if (type == int.class || type == short.class || type == byte.class) {
        final int v = Integer.decode(text);
        value = type == int.class ? (Object) v : type == short.class ? (Object) (short) v : (Object) (byte) v;
        if (type != int.class && ((Number) value).intValue() != v) {
          throw new NumberFormatException("out of range");
        }
      } else if (type == long.class) {
        value = Long.decode(text.endsWith("L") || text.endsWith("l") ? text.substring(0, text.length() - 1)
            : text);
      } else if (type == double.class) {
        value = Double.parseDouble(text);
      } else if (type == float.class) {
        value = Float.parseFloat(text);
      } else if (type == boolean.class) {
        if (!text.equals("true") && !text.equals("false")) {
          throw new NumberFormatException("not true or false");
        }
        value = Boolean.parseBoolean(text);
      } else if (type == char.class) {
        final String c = text.length() == 3 && text.startsWith("'") && text.endsWith("'")
            ? text.substring(1, 2) : text;
        if (c.length() != 1) {
          throw new NumberFormatException("not a single character");
        }
        value = c.charAt(0);
      } else if (type == String.class || type == CharSequence.class || type == Object.class) {
        value = text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")
            ? text.substring(1, text.length() - 1) : text;
      } else {
        throw new NumberFormatException("only null can be written for a " + type.getName());
      }
      return known(index, value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Argument " + index + " of " + method.getName() + " has type "
          + type.getName() + "; cannot read the literal '" + literal + "' (" + e.getMessage() + ")", e);
    }
  }

  /** Returns the type of argument {@code index} (the declaring class for the receiver). */
  public Class<?> argumentType(final int index) {
    final boolean instance = !Modifier.isStatic(method.getModifiers());
    return instance && index == 0 ? method.getDeclaringClass()
        : method.getParameterTypes()[instance ? index - 1 : index];
  }

  /**
   * Declares fields of {@code owner} (static or instance, declared there or inherited) quasi-invariant: their values
   * on known objects may be folded, and if a field holds an array, so may its elements. Every folded read is
   * recorded as a {@link Dependency}. The class of a static quasi-invariant is initialized when specializing (its
   * value exists only then), if the lookup may access it.
   *
   * @throws IllegalArgumentException when a field does not exist (the message lists the nearest names)
   */
  public SpecializationRequest<T> quasiInvariant(final Class<?> owner, final String... fields) {
    final Set<Field> more = new LinkedHashSet<>(quasiInvariants);
    for (final String name : fields) {
      more.add(field(owner, name));
    }
    return new SpecializationRequest<>(lookup, method, known, values, Set.copyOf(more), foldFinals, budgets,
        jdkPolicy, functional, assumptions, shareCode, replacement);
  }

  private static Field field(final Class<?> owner, final String name) {
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      for (final Field f : k.getDeclaredFields()) {
        if (f.getName().equals(name)) {
          return f;
        }
      }
    }
    final String nearest = Arrays.stream(owner.getDeclaredFields()).map(Field::getName)
        .sorted(Comparator.comparingInt(n -> NearestNames.distance(name, n))).limit(3)
        .reduce((a, b) -> a + ", " + b).orElse("none");
    throw new IllegalArgumentException("No field " + owner.getName() + "." + name + "; nearest: " + nearest);
  }

  /**
   * Assumes that {@code object}'s instance field {@code owner.field} reads as {@code value}: reads of that field on
   * that very object fold to {@code value} and record no {@link Dependency}, until the residual code may have written
   * the field (a write to the field, a call the specializer cannot see) or synchronized (a {@code volatile} read).
   *
   * <p>This is for a caller that reads the field itself, once, right before calling the residual code, and calls it
   * only when the read equals {@code value} (the version manager's dispatch on a field key, such as
   * {@code this.current}). Under the Java memory model the residual code then behaves as if its first read of the
   * field happened at the caller's read: moving a plain read earlier in one thread, across no synchronization
   * action and no write of that thread, is a legal reordering (JLS 17.4.5). The field is not guarded, so a caller
   * that does not compare the value on every call gets wrong results. A {@code synchronized} method, or a
   * {@code volatile} field, makes {@link #specialize()} decline.
   *
   * @throws IllegalArgumentException when the field does not exist (nearest names listed), is static, or the object
   *     or value does not fit its type
   */
  public SpecializationRequest<T> assumeField(final Object object, final Class<?> owner, final String field,
      final Object value) {
    return assumeField(object, field(owner, field), value);
  }

  /**
   * As {@link #assumeField(Object, Class, String, Object)}, for a field already looked up (a version manager assumes
   * the same key field for every version).
   *
   * @throws IllegalArgumentException when the field is static, or the object or value does not fit its type
   */
  public SpecializationRequest<T> assumeField(final Object object, final Field f, final Object value) {
    Objects.requireNonNull(object, "object");
    final Class<?> owner = f.getDeclaringClass();
    final String field = f.getName();
    if (Modifier.isStatic(f.getModifiers())) {
      throw new IllegalArgumentException("Field " + owner.getName() + "." + field
          + " is static: only an instance field of one object can be assumed");
    }
    if (!f.getDeclaringClass().isInstance(object)) {
      throw new IllegalArgumentException("The object " + object.getClass().getName() + " has no field "
          + f.getDeclaringClass().getName() + "." + field);
    }
    final Class<?> t = f.getType();
    if (t.isPrimitive() ? !BOXES.get(t).isInstance(value) : value != null && !t.isInstance(value)) {
      throw new IllegalArgumentException("Field " + owner.getName() + "." + field + " has type " + t.getName()
          + ", but the assumed value is " + (value == null ? "null" : value.getClass().getName() + " " + value));
    }
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals, budgets,
        jdkPolicy, functional, assumptions.with(new FieldAssumptions.Assumption(object, f, value)), shareCode,
        replacement);
  }

  /** Sets whether {@code final} fields of known objects fold as true invariants (the default is true). */
  public SpecializationRequest<T> foldFinalFields(final boolean fold) {
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, fold, budgets, jdkPolicy,
        functional, assumptions, shareCode, replacement);
  }

  /** Sets which JDK packages may be specialized into (default {@link JdkPolicy#CALL_ONLY}: JDK methods are called). */
  public SpecializationRequest<T> jdkPolicy(final JdkPolicy policy) {
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals, budgets,
        Objects.requireNonNull(policy, "policy"), functional, assumptions, shareCode, replacement);
  }

  /** Sets the budgets that bound specialization (default {@link Budgets#DEFAULT}). */
  public SpecializationRequest<T> budgets(final Budgets newBudgets) {
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals,
        Objects.requireNonNull(newBudgets, "budgets"), jdkPolicy, functional, assumptions, shareCode, replacement);
  }

  /**
   * Sets whether the residual code may share its class with earlier specializations through the same lookup class
   * whose residual code is the same instruction for instruction and differs only in the known objects it refers to
   * (the default is false). Shared, the known objects are held by each instance of the class, in a final array,
   * instead of being constants of a class of its own: a new specialization then defines no class and reuses code the
   * JIT has already compiled, but a known object is one array load away rather than a constant the JIT folds through.
   * The version manager shares code for entry points whose keys keep changing (fresh objects arriving all the time),
   * where compiling each version from the interpreter up costs more than the loads.
   *
   * <p>A request that shares code also keeps a template of its specialization, and is made from an earlier one's
   * when it can: when everything the earlier evaluation read from the heap reads the same on this request's objects
   * (values, classes, and which objects are the same object), its code is reused without evaluating, with this
   * request's objects and dependencies ({@link ResidualCode#fromTemplate()}).
   */
  public SpecializationRequest<T> shareCode(final boolean share) {
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals, budgets,
        jdkPolicy, functional, assumptions, share, replacement);
  }

  /**
   * Sets the functional interface the residual code implements: its single abstract method takes the unknown
   * arguments in order (references may be supertypes, primitives may be boxed) and returns the method's result.
   */
  public <F> SpecializationRequest<F> as(final Class<F> functionalInterface) {
    Objects.requireNonNull(functionalInterface, "functionalInterface");
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals, budgets,
        jdkPolicy, functionalInterface, assumptions, shareCode, false);
  }

  /**
   * Sets the functional interface the residual code implements as a replacement of the method itself: its single
   * abstract method takes every argument of the method as the JVM passes them (receiver first), known ones included,
   * and returns its result; the residual code ignores the known arguments. A caller that already holds every argument
   * (a version manager dispatching on the known ones) then calls the residual code with no adapter between: one call
   * and one load fewer per call than through {@link #as}. The caller must pass the known values: the residual code
   * was made for them and does not check them. References may be supertypes and primitives boxes, as for {@link #as};
   * when the types are exactly the method's, small residual code is held by the interface method itself.
   */
  public <F> SpecializationRequest<F> asReplacement(final Class<F> functionalInterface) {
    Objects.requireNonNull(functionalInterface, "functionalInterface");
    return new SpecializationRequest<>(lookup, method, known, values, quasiInvariants, foldFinals, budgets,
        jdkPolicy, functionalInterface, assumptions, shareCode, true);
  }

  /**
   * Specializes and defines the residual code as a hidden class implementing the functional interface.
   *
   * @throws SpecializationDeclined when the method cannot be specialized correctly
   * @throws IllegalStateException  when no functional interface was set with {@link #as}
   * @throws IllegalArgumentException when the interface does not fit, or the lookup cannot define classes
   */
  public Specialization<T> specialize() throws SpecializationDeclined {
    if (functional == null) {
      throw new IllegalStateException("Call as(FunctionalInterface.class) before specialize(), or use residual()");
    }
    if (!lookup.hasFullPrivilegeAccess()) {
      throw new IllegalArgumentException("Defining the residual class needs a lookup with full privilege access, "
          + "got " + lookup);
    }
    final Engine.Result r = run(functional);
    return new Specialization<>(functional.cast(r.function()), residual(r));
  }

  /**
   * Specializes without defining a class: returns the residual code's description (for study, as the CLI does).
   *
   * @throws SpecializationDeclined when the method cannot be specialized correctly
   */
  public ResidualCode residual() throws SpecializationDeclined {
    return residual(run(null));
  }

  private Engine.Result run(final Class<?> functionalInterface) throws SpecializationDeclined {
    return Engine.specialize(lookup, method, known.clone(), values.clone(), quasiInvariants, assumptions,
        foldFinals, budgets, jdkPolicy, functionalInterface, replacement, shareCode);
  }

  private static ResidualCode residual(final Engine.Result r) {
    return new ResidualCode(r.dependencies(), r.summary(), r::dump, r.classFile(), r.template());
  }
}
