package org.quasi.specializer.validate.internal;

import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Draws random argument values for a parameter type: primitives and their boxes (edge values often), strings from a
 * pool of shapes libraries care about (empty, blank, digits, separators, non-ASCII, surrogates) or random, arrays,
 * enums, the common collections (elements by the declared type argument), {@code Locale}, {@code Charset},
 * {@code BigInteger}, {@code BigDecimal}, and objects of public concrete classes with a public no-argument
 * constructor or a simple one (see {@link #constructor}), then filled through their own {@code add} or {@code put}
 * when they have one (see {@link #filler}). References are null one time in ten. A constructor's
 * integral arguments are drawn from a small range (see {@link #constructorArgument}).
 *
 * <p>Generation is a function of the {@link Random}'s state: drawing twice from two generators seeded alike yields
 * equal, distinct values, which is how the original and the residual code get fresh copies of mutable arguments.
 */
public final class ArgumentGenerator {
  private static final int[] EDGE_INTS = {0, 1, -1, 2, 7, 10, 31, 32, 63, 64, 100, 127, -128, 255, 256, 1000, 65_535,
      Integer.MAX_VALUE, Integer.MIN_VALUE};
  private static final long[] EDGE_LONGS = {0, 1, -1, 63, 64, 1L << 32, -(1L << 40), Long.MAX_VALUE, Long.MIN_VALUE};
  private static final double[] EDGE_DOUBLES = {0.0, -0.0, 1.0, -1.5, 0.1, 3.14159, 1e10, -1e-10, Double.NaN,
      Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};
  private static final String[] STRINGS = {"", " ", "a", "abc", "ABC", "Hello, World", "  padded  ", "123", "-45",
      "3.14", "0x1F", "a,b,,c", "a b\tc\nd", "camelCaseString", "snake_case_name", "UPPER", "true", "null",
      "\u00c4\u00d6\u00fc\u00df", "\ud83d\ude00x", "aaa", "abcabc", "{}[]()", "\\path\\to", "%d%s", "xyz\u0000"};
  private static final int MAX_DEPTH = 3;
  private static final int MAX_CONSTRUCTOR_PARAMETERS = 3;
  private static final int MIN_CONSTRUCTOR_INTEGRAL = -2;
  private static final int MAX_CONSTRUCTOR_INTEGRAL = 6;
  /** The most elements {@link #fill} adds to a constructed object. */
  private static final int MAX_FILL = 5;

  /**
   * Classes whose constructor did not finish within the time limit on some draw: their values are not generated again,
   * since each hang costs a worker thread that Java cannot stop (commons-math3's {@code DerivativeStructure(int, int)}
   * on large ints computes for hours). Set by the harness thread, read by it; concurrent only with abandoned workers.
   */
  private final Set<Class<?>> hung = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** The class whose constructor the drawing thread is running now (innermost), or null. */
  private volatile Class<?> constructing;

  /** Returns why values of {@code type} cannot be generated, or null when they can. */
  public String problem(final Type type) {
    return problem(type, 0);
  }

  /** The class whose constructor a draw is running now (innermost), or null: after a time-out, the one that hung. */
  public Class<?> constructing() {
    return constructing;
  }

  /** Marks {@code c}'s constructor as one that did not finish in time: {@link #problem} refuses {@code c} from now. */
  public void hung(final Class<?> c) {
    hung.add(c);
  }

  private String problem(final Type type, final int depth) {
    if (depth > MAX_DEPTH) {
      return "type nesting deeper than " + MAX_DEPTH;
    }
    if (type instanceof ParameterizedType p) {
      return problem(p.getRawType(), depth);
    }
    if (type instanceof GenericArrayType g) {
      return problem(g.getGenericComponentType(), depth + 1);
    }
    if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
      return problem(bound(type), depth);
    }
    final Class<?> c = (Class<?>) type;
    if (c.isPrimitive() || simple(c) || c.isEnum() && c.getEnumConstants() != null) {
      return null;
    }
    if (c.isArray()) {
      return problem(c.getComponentType(), depth + 1);
    }
    if (collection(c) != null) {
      return null;
    }
    if (hung.contains(c)) {
      return "constructing a " + c.getName() + " did not finish within the time limit on an earlier draw";
    }
    return constructor(c) != null ? null : "no generator for parameter type " + c.getName();
  }

  /** Draws a value of {@code type}; never null when {@code nonNull}. */
  public Object generate(final Type type, final Random r, final boolean nonNull) throws ReflectiveOperationException {
    return generate(type, r, nonNull, 0);
  }

  private Object generate(final Type type, final Random r, final boolean nonNull, final int depth)
      throws ReflectiveOperationException {
    if (type instanceof TypeVariable<?> || type instanceof WildcardType) {
      return generate(bound(type), r, nonNull, depth);
    }
    final Class<?> c = raw(type);
    if (c.isPrimitive()) {
      return primitive(c, r);
    }
    if (!nonNull && r.nextInt(10) == 0) {
      return null;
    }
    if (c == Object.class) {
      // Only values with value semantics: an identity hash or identity toString would differ between the copies.
      return switch (r.nextInt(3)) {
        case 0 -> primitive(int.class, r);
        case 1 -> string(r);
        default -> primitive(long.class, r);
      };
    }
    if (c == String.class || c == CharSequence.class || c == Comparable.class) {
      return string(r);
    }
    if (c == Number.class) {
      return primitive(int.class, r);
    }
    final Class<?> unboxed = unbox(c);
    if (unboxed != null) {
      return primitive(unboxed, r);
    }
    if (c == Locale.class) {
      return new Locale[] {Locale.ROOT, Locale.US, Locale.FRANCE, Locale.GERMANY, Locale.JAPAN}[r.nextInt(5)];
    }
    if (c == Charset.class) {
      return new Charset[] {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII,
          StandardCharsets.UTF_16}[r.nextInt(4)];
    }
    if (c == BigInteger.class) {
      return BigInteger.valueOf((Long) primitive(long.class, r));
    }
    if (c == BigDecimal.class) {
      return BigDecimal.valueOf((Long) primitive(long.class, r), r.nextInt(6) - 2);
    }
    if (c.isEnum()) {
      final Object[] constants = c.getEnumConstants();
      return constants.length == 0 ? null : constants[r.nextInt(constants.length)];
    }
    if (c.isArray() || type instanceof GenericArrayType) {
      final Type component = type instanceof GenericArrayType g ? g.getGenericComponentType() : c.getComponentType();
      final int n = r.nextInt(6);
      final Object array = Array.newInstance(raw(component), n);
      for (int i = 0; i < n; i++) {
        Array.set(array, i, generate(component, r, false, depth + 1));
      }
      return array;
    }
    final String kind = collection(c);
    if (kind != null) {
      return collection(kind, type, r, depth);
    }
    final Constructor<?> k = constructor(c);
    final Type[] params = parameterTypes(k);
    final Object[] args = new Object[params.length];
    for (int i = 0; i < params.length; i++) {
      args[i] = constructorArgument(params[i], r, depth + 1);
    }
    final Class<?> outer = constructing;
    constructing = c;
    try {
      final Object made = k.newInstance(args);
      fill(made, c, r, depth);
      return made;
    } finally {
      constructing = outer;
    }
  }

  /**
   * Adds 0 to {@value #MAX_FILL} drawn elements to {@code made} through {@link #filler}: a library's collection made by
   * its constructor is empty, and its methods' loops over elements would never run. An element the object refuses
   * (the call throws) ends the filling, the object left as the calls before made it.
   */
  private void fill(final Object made, final Class<?> c, final Random r, final int depth)
      throws ReflectiveOperationException {
    final Method filler = filler(c);
    if (filler == null) {
      return;
    }
    final int n = r.nextInt(MAX_FILL + 1);
    final Type[] params = parameterTypes(filler);
    for (int i = 0; i < n; i++) {
      final Object[] args = new Object[params.length];
      for (int p = 0; p < params.length; p++) {
        // A put's first argument may be an index, up to which a list pads with nulls (org.json's
        // JSONArray.put(int, boolean) on a drawn Integer.MAX_VALUE hung, and its 73 methods were skipped): an
        // integral one is drawn as small as a constructor's sizes.
        args[p] = raw(params[p]) == Object.class ? (r.nextBoolean() ? (Object) r.nextInt(100) : string(r))
            : p == 0 && params.length == 2 && integral(raw(params[p])) ? constructorArgument(params[p], r, depth + 1)
                : generate(params[p], r, false, depth + 1);
      }
      try {
        filler.invoke(made, args);
      } catch (java.lang.reflect.InvocationTargetException refused) {
        return;
      }
    }
  }

  /**
   * The method that fills objects of {@code c}: a public instance {@code add} of one parameter or {@code put} of two,
   * declared by a public class outside the JDK (the JDK's abstract collections throw on {@code add}; a public method
   * of a package-private class cannot be invoked from here), each parameter a
   * primitive, a box, a string or {@code Object}; the first by signature when there are several; null when none.
   */
  static Method filler(final Class<?> c) {
    Method best = null;
    try {
      for (final Method m : c.getMethods()) {
        final int arity = m.getName().equals("add") ? 1 : m.getName().equals("put") ? 2 : -1;
        if (m.getParameterCount() == arity && !Modifier.isStatic(m.getModifiers()) && !m.isBridge()
            && !m.isSynthetic() && !jdk(m.getDeclaringClass())
            && Modifier.isPublic(m.getDeclaringClass().getModifiers())
            && java.util.Arrays.stream(m.getParameterTypes()).allMatch(t -> scalar(t) || t == Object.class)
            && (best == null || m.toGenericString().compareTo(best.toGenericString()) < 0)) {
          best = m;
        }
      }
    } catch (SecurityException | LinkageError e) {
      return null;
    }
    return best;
  }

  private static boolean jdk(final Class<?> c) {
    final String n = c.getName();
    return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("sun.") || n.startsWith("jdk.");
  }

  /**
   * Draws an argument of a constructor: an integral one (a size, a dimension, an order, a capacity, most of the
   * time) from {@value #MIN_CONSTRUCTOR_INTEGRAL}..{@value #MAX_CONSTRUCTOR_INTEGRAL}, anything else as any value.
   * Constructors allocate by such arguments, often more than linearly (commons-math3's
   * {@code DerivativeStructure(int, int)} builds tables of binomial size: 0.2 s for (6, 6), 4 s for (7, 7), 27 s for
   * (8, 8); {@code MultivariateSummaryStatistics(int, boolean)} a k-by-k matrix): a large drawn int exhausts the heap
   * or computes for hours. Methods' own integral arguments keep the full range.
   */
  private Object constructorArgument(final Type type, final Random r, final int depth)
      throws ReflectiveOperationException {
    final Class<?> c = type instanceof Class<?> k ? k : null;
    final Class<?> p = c == null ? null : c.isPrimitive() ? c : unbox(c);
    if (p == int.class || p == long.class || p == short.class || p == byte.class) {
      final int small = MIN_CONSTRUCTOR_INTEGRAL + r.nextInt(MAX_CONSTRUCTOR_INTEGRAL - MIN_CONSTRUCTOR_INTEGRAL + 1);
      if (p == long.class) {
        return (long) small;
      }
      if (p == short.class) {
        return (short) small;
      }
      return p == byte.class ? Byte.valueOf((byte) small) : Integer.valueOf(small);
    }
    return generate(type, r, true, depth);
  }

  private Object collection(final String kind, final Type type, final Random r, final int depth)
      throws ReflectiveOperationException {
    final Type[] args = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
    final boolean sorted = kind.startsWith("Tree");
    final Type first = args.length > 0 && !sorted ? args[0] : String.class;
    final Type second = args.length > 1 ? args[1] : String.class;
    final int n = r.nextInt(5);
    if (kind.endsWith("Map")) {
      final Map<Object, Object> m = switch (kind) {
        case "TreeMap" -> new TreeMap<>();
        case "LinkedHashMap" -> new LinkedHashMap<>();
        default -> new HashMap<>();
      };
      for (int i = 0; i < n; i++) {
        m.put(generate(first, r, true, depth + 1), generate(second, r, false, depth + 1));
      }
      return m;
    }
    final Collection<Object> out = switch (kind) {
      case "TreeSet" -> new TreeSet<>();
      case "HashSet" -> new HashSet<>();
      case "LinkedHashSet" -> new LinkedHashSet<>();
      case "LinkedList" -> new LinkedList<>();
      default -> new ArrayList<>();
    };
    for (int i = 0; i < n; i++) {
      out.add(generate(first, r, sorted, depth + 1));
    }
    return out;
  }

  /** The concrete collection drawn for a declared collection type, or null when it is not one we generate. */
  private static String collection(final Class<?> c) {
    if (c == List.class || c == Collection.class || c == Iterable.class || c == ArrayList.class) {
      return "ArrayList";
    }
    if (c == LinkedList.class) {
      return "LinkedList";
    }
    if (c == Set.class || c == HashSet.class) {
      return "HashSet";
    }
    if (c == LinkedHashSet.class) {
      return "LinkedHashSet";
    }
    if (c == TreeSet.class || c == java.util.SortedSet.class || c == java.util.NavigableSet.class) {
      return "TreeSet";
    }
    if (c == Map.class || c == HashMap.class) {
      return "HashMap";
    }
    if (c == LinkedHashMap.class) {
      return "LinkedHashMap";
    }
    if (c == TreeMap.class || c == java.util.SortedMap.class || c == java.util.NavigableMap.class) {
      return "TreeMap";
    }
    return null;
  }

  private static boolean simple(final Class<?> c) {
    return c == Object.class || c == String.class || c == CharSequence.class || unbox(c) != null
        || c == Comparable.class || c == Number.class
        || c == Locale.class || c == Charset.class || c == BigInteger.class || c == BigDecimal.class;
  }

  /**
   * {@code e}'s parameter types: generic where its signature names every parameter with the descriptor's erasure,
   * else erased (as {@code Executable.getAllGenericParameterTypes} falls back on a count that differs). Scala 3
   * leaves context parameters out of its signatures ({@code IArray.appended(arr, x)(using ClassTag)}: a draw fell an
   * argument short), and Scala 2.13 gives a specialized {@code max(double, double)} the signature of the generic
   * {@code max[U](x: U, y: U)} (drawn as objects, they reached a {@code double} parameter).
   */
  public static Type[] parameterTypes(final java.lang.reflect.Executable e) {
    final Type[] generic = e.getGenericParameterTypes();
    final Class<?>[] erased = e.getParameterTypes();
    if (generic.length != erased.length) {
      return erased;
    }
    for (int i = 0; i < erased.length; i++) {
      if (raw(generic[i]) != erased[i]) {
        return erased;
      }
    }
    return generic;
  }

  /**
   * The constructor used to make objects of {@code c}: of a public concrete class outside the JDK's packages (whose
   * objects we cannot compare field by field), the public no-argument constructor, or else the public constructor
   * with the fewest (at most {@value #MAX_CONSTRUCTOR_PARAMETERS}) parameters, all primitives, boxes or strings
   * (ties broken by descriptor, so the choice is stable); null when there is none.
   */
  public static Constructor<?> constructor(final Class<?> c) {
    if (!Modifier.isPublic(c.getModifiers()) || Modifier.isAbstract(c.getModifiers()) || c.isInterface()
        || c.getName().startsWith("java.") || c.getName().startsWith("javax.") || c.getName().startsWith("sun.")
        || Throwable.class.isAssignableFrom(c) || Thread.class.isAssignableFrom(c)
        || c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())) {
      return null;
    }
    try {
      Constructor<?> best = null;
      for (final Constructor<?> k : c.getConstructors()) {
        if (k.getParameterCount() <= MAX_CONSTRUCTOR_PARAMETERS && !k.isVarArgs()
            && java.util.Arrays.stream(k.getParameterTypes()).allMatch(ArgumentGenerator::scalar)
            && (best == null || k.getParameterCount() < best.getParameterCount()
                || k.getParameterCount() == best.getParameterCount()
                && k.toGenericString().compareTo(best.toGenericString()) < 0)) {
          best = k;
        }
      }
      return best;
    } catch (SecurityException | LinkageError e) {
      return null;
    }
  }

  private static boolean integral(final Class<?> c) {
    final Class<?> p = c.isPrimitive() ? c : unbox(c);
    return p == int.class || p == long.class || p == short.class || p == byte.class;
  }

  private static boolean scalar(final Class<?> c) {
    return c.isPrimitive() || unbox(c) != null || c == String.class || c == CharSequence.class;
  }

  private static Object primitive(final Class<?> c, final Random r) {
    final int pick = r.nextInt(10);
    final int i = pick < 7 ? r.nextInt(24) - 3 : pick < 9 ? EDGE_INTS[r.nextInt(EDGE_INTS.length)] : r.nextInt();
    if (c == int.class) {
      return i;
    }
    if (c == long.class) {
      return pick == 8 ? EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : pick == 9 ? r.nextLong() : (long) i;
    }
    if (c == boolean.class) {
      return r.nextBoolean();
    }
    if (c == char.class) {
      return pick < 6 ? (char) ('0' + r.nextInt(75)) : pick < 9 ? " \t\n\u00e9\ud83d-_.,"
          .charAt(r.nextInt(10)) : (char) r.nextInt(0x10000);
    }
    if (c == byte.class) {
      return (byte) i;
    }
    if (c == short.class) {
      return (short) i;
    }
    if (c == double.class) {
      return pick < 5 ? (double) i / 4 : pick < 9 ? EDGE_DOUBLES[r.nextInt(EDGE_DOUBLES.length)]
          : r.nextGaussian() * 1e6;
    }
    return pick < 5 ? (float) i / 4 : pick < 9 ? (float) EDGE_DOUBLES[r.nextInt(EDGE_DOUBLES.length)]
        : (float) r.nextGaussian();
  }

  private static String string(final Random r) {
    if (r.nextInt(4) > 0) {
      return STRINGS[r.nextInt(STRINGS.length)];
    }
    final StringBuilder b = new StringBuilder();
    final int n = r.nextInt(12);
    for (int i = 0; i < n; i++) {
      b.append((char) (' ' + r.nextInt(95)));
    }
    return b.toString();
  }

  private static Class<?> unbox(final Class<?> c) {
    return c == Integer.class ? int.class : c == Long.class ? long.class : c == Boolean.class ? boolean.class
        : c == Character.class ? char.class : c == Byte.class ? byte.class : c == Short.class ? short.class
            : c == Double.class ? double.class : c == Float.class ? float.class : null;
  }

  private static Type bound(final Type t) {
    final Type[] bounds = t instanceof TypeVariable<?> v ? v.getBounds() : ((WildcardType) t).getUpperBounds();
    return bounds.length == 0 ? Object.class : bounds[0];
  }

  private static Class<?> raw(final Type t) {
    if (t instanceof Class<?> c) {
      return c;
    }
    if (t instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (t instanceof GenericArrayType g) {
      return Array.newInstance(raw(g.getGenericComponentType()), 0).getClass();
    }
    return raw(bound(t));
  }
}
