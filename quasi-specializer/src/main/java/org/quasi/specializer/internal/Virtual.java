package org.quasi.specializer.internal;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.quasi.specializer.internal.Value.Known;
import org.quasi.specializer.internal.Value.Unknown;

/**
 * An object allocated inside the specialized region that has not escaped it: its allocation is not in the residual
 * code, and its contents are tracked instead (escape analysis). Nothing outside the abstract state can refer to it,
 * so it is never identical to any other value and is never null.
 *
 * <p>A virtual value is immutable; a store into a virtual array makes a new one that replaces the old everywhere in
 * the {@link State} ({@link State#replace}), which keeps sharing between slots right. Its contents are never virtual
 * themselves: a virtual value stored into another is materialized first ({@link Materializer}). It is materialized
 * where it escapes, by replaying its {@link #recipe}: for an object, its allocation and the constructor call the
 * original made (whose effects reach only the object's own fields: {@link ConstructorShape}); for a box, the
 * {@code valueOf} call; for an array, its allocation and the stores of its non-default elements.
 *
 * <p>Identity comes from the Java object: two slots hold the same virtual value exactly when they hold the same
 * instance. Virtual values cross joins ({@link Variants}): their unknown {@link #parts} get positional locals
 * like the slots of a frame.
 */
final class Virtual implements Value {
  /** What the residual code does to materialize the object. */
  enum Shape { OBJECT, BOX, ARRAY, LAMBDA }

  /** The most {@link #parts} a virtual value may have (arrays and constructors beyond it stay real). */
  static final int MAX_PARTS = 64;

  final Shape shape;
  /** The object's exact class (for arrays, the array class). */
  final Class<?> type;
  /**
   * The instruction that creates the object from {@link #arguments}: the constructor's {@code invokespecial} for an
   * object, the {@code valueOf} call for a box, the {@code newarray}/{@code anewarray} for an array. It is the
   * original's instruction node (cloned when emitted), so values created at one site have equal recipes.
   */
  final AbstractInsnNode recipe;
  /** The creating call's arguments (no receiver; an array's length), never virtual. */
  final Value[] arguments;
  /** The object's fields as its constructor left them (absent: the default value). */
  final Map<Field, Value> fields;
  /** An array's elements. */
  final Value[] elements;
  /** A lambda's original {@code invokedynamic} (its functional interface is {@link #type}); null for others. */
  final org.objectweb.asm.tree.InvokeDynamicInsnNode lambdaSite;

  private Virtual(final Shape shape, final Class<?> type, final AbstractInsnNode recipe, final Value[] arguments,
      final Map<Field, Value> fields, final Value[] elements,
      final org.objectweb.asm.tree.InvokeDynamicInsnNode lambdaSite) {
    this.shape = shape;
    this.type = type;
    this.recipe = recipe;
    this.arguments = arguments;
    this.fields = fields;
    this.elements = elements;
    this.lambdaSite = lambdaSite;
  }

  /** A lambda of interface {@code type} made by {@code site}; {@code residualForm} recreates it. */
  static Virtual lambda(final Class<?> type, final AbstractInsnNode residualForm,
      final org.objectweb.asm.tree.InvokeDynamicInsnNode site, final Value[] captured) {
    return new Virtual(Shape.LAMBDA, type, residualForm, captured, Map.of(), new Value[0], site);
  }

  static Virtual object(final Class<?> type, final AbstractInsnNode constructor, final Value[] arguments,
      final Map<Field, Value> fields) {
    return new Virtual(Shape.OBJECT, type, constructor, arguments,
        java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields)), new Value[0], null);
  }

  static Virtual box(final Class<?> type, final AbstractInsnNode valueOf, final Value primitive) {
    return new Virtual(Shape.BOX, type, valueOf, new Value[] {primitive}, Map.of(), new Value[0], null);
  }

  static Virtual array(final Class<?> type, final AbstractInsnNode allocation, final Value[] elements) {
    return new Virtual(Shape.ARRAY, type, allocation, new Value[] {Known.ofInt(elements.length)}, Map.of(),
        elements, null);
  }

  /** Returns a copy of this array with element {@code index} replaced. */
  Virtual withElement(final int index, final Value v) {
    final Value[] e = elements.clone();
    e[index] = v;
    return new Virtual(shape, type, recipe, arguments, fields, e, lambdaSite);
  }

  /** Returns the value of field {@code f}: as written by the constructor, or the default of its type. */
  Value field(final Field f) {
    final Value v = fields.get(f);
    return v != null ? v : defaultValue(org.objectweb.asm.Type.getType(f.getType()));
  }

  /** Returns the default value of a field or array element of type {@code t} (zero, false or null). */
  static Known defaultValue(final org.objectweb.asm.Type t) {
    return switch (Kind.of(t)) {
      case INT -> Known.ofInt(0);
      case LONG -> Known.ofLong(0);
      case FLOAT -> Known.ofFloat(0);
      case DOUBLE -> Known.ofDouble(0);
      default -> Known.NULL;
    };
  }

  /** Whether some part of the contents is only known at run time. */
  boolean hasUnknown() {
    return Arrays.stream(arguments).anyMatch(Unknown.class::isInstance)
        || fields.values().stream().anyMatch(Unknown.class::isInstance)
        || Arrays.stream(elements).anyMatch(Unknown.class::isInstance);
  }

  /**
   * Returns the parts of the contents: the creation's arguments, the fields in the order the constructor wrote them,
   * then the elements. Values created at the same site have their parts in the same order.
   */
  List<Value> parts() {
    final List<Value> p = new ArrayList<>(arguments.length + fields.size() + elements.length);
    p.addAll(Arrays.asList(arguments));
    p.addAll(fields.values());
    p.addAll(Arrays.asList(elements));
    return p;
  }

  /** Returns this value with every unknown part {@code u} replaced by {@code to.apply(u)}, everywhere it occurs. */
  Virtual mapUnknowns(final java.util.function.Function<Unknown, ? extends Value> to) {
    final java.util.function.UnaryOperator<Value> f = v -> v instanceof Unknown u ? to.apply(u) : v;
    final Map<Field, Value> mapped = new java.util.LinkedHashMap<>();
    fields.forEach((k, v) -> mapped.put(k, f.apply(v)));
    return new Virtual(shape, type, recipe, Arrays.stream(arguments).map(f).toArray(Value[]::new),
        java.util.Collections.unmodifiableMap(mapped), Arrays.stream(elements).map(f).toArray(Value[]::new),
        lambdaSite);
  }

  @Override
  public Kind kind() {
    return Kind.REF;
  }

  @Override
  public String toString() {
    return "virtual " + type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(this));
  }
}
