package org.quasi.specializer.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.Type;

/**
 * Knowledge about JDK methods the specializer does not read: which ones it may run at specialization time on known
 * arguments (their result depends only on those arguments and they touch no heap that user code can see), and which
 * ones, left residual, cannot write the user's heap (so they do not kill quasi-invariant knowledge).
 *
 * <p>The policy is deliberately small: the primitive wrapper classes, {@code Math}/{@code StrictMath},
 * {@code Character} and {@code String}, with every parameter a primitive or a {@code String} (an {@code Object} or
 * {@code CharSequence} parameter could call back into user code through {@code toString} or {@code equals}); only
 * primitive results fold, because a folded {@code String} result would be one shared object where the original
 * allocates a new one each time. {@code StringBuilder}/{@code StringBuffer} methods under the same parameter rule do
 * not write the user's heap.
 */
final class Purity {
  private static final Set<String> VALUE_CLASSES = Set.of("java/lang/Math", "java/lang/StrictMath",
      "java/lang/Integer", "java/lang/Long", "java/lang/Short", "java/lang/Byte", "java/lang/Character",
      "java/lang/Boolean", "java/lang/Float", "java/lang/Double", "java/lang/String");
  private static final Set<String> BUILDERS = Set.of("java/lang/StringBuilder", "java/lang/StringBuffer",
      "java/lang/AbstractStringBuilder");
  /** Methods of the value classes that read global state or are not deterministic. */
  private static final Set<String> IMPURE = Set.of("random", "getBoolean", "getInteger", "getLong", "intern");
  private static final Map<String, Optional<MethodHandle>> HANDLES = new ConcurrentHashMap<>();
  /**
   * The methods of {@code java.lang.Math} whose results its specification leaves free within some ulps, not bound to
   * {@code StrictMath}'s bit for bit. Their bytecode calls {@code StrictMath}, but the JVM need not run it: HotSpot
   * replaces {@code sin}, {@code cos}, {@code tan}, {@code exp}, {@code log}, {@code log10} and {@code pow} (and, in
   * later releases, {@code tanh} and {@code cbrt}) with intrinsics of its own, in the interpreter too.
   */
  private static final Set<String> LOOSE_MATH = Set.of("sin", "cos", "tan", "asin", "acos", "atan", "exp", "log",
      "log10", "cbrt", "atan2", "pow", "sinh", "cosh", "tanh", "hypot", "expm1", "log1p");

  private Purity() {
  }

  /**
   * Initializes {@code c} now if it is one of the JDK value or builder classes above, and returns whether it did.
   * Their static initializers run no user code, so running them at specialization time instead of later is not
   * observable; residual code then needs no initialization trigger for them.
   */
  static boolean initializeJdkValueClass(final Class<?> c) {
    final String name = Type.getInternalName(c);
    if (c.getClassLoader() != null || !(VALUE_CLASSES.contains(name) || BUILDERS.contains(name))) {
      return false;
    }
    try {
      Class.forName(c.getName(), true, null);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Returns why code specialized from this method's bytecode may compute other results than a call of it, or null:
   * for the {@link #LOOSE_MATH} methods of {@code java.lang.Math}, whose calls the JVM may run as intrinsics that do
   * not compute what their bytecode computes ({@code Math.pow(0.25, 5 / 6.0)} on HotSpot differs in the last bit from
   * {@code StrictMath.pow}, which the bytecode calls). They are called, never specialized into (nor declined as
   * callees): a call computes what the original's call computes.
   */
  static String notItsBytecode(final Class<?> c, final String name) {
    return c == Math.class && LOOSE_MATH.contains(name) ? "java.lang.Math." + name + " may compute other results "
        + "than its bytecode (a call of StrictMath." + name + "): the JVM may run it as an intrinsic of its own, as "
        + "HotSpot does" : null;
  }

  /** Returns whether a residual call to this method cannot write heap that user code can observe. */
  static boolean writesNoUserHeap(final String owner, final String name, final String desc) {
    return (VALUE_CLASSES.contains(owner) || BUILDERS.contains(owner)) && !IMPURE.contains(name)
        && simpleParameters(desc, true);
  }

  /**
   * Returns whether this method may be run at specialization time on these known arguments (receiver first for
   * instance methods). A parameter of type {@code Object} or {@code CharSequence} is accepted when the argument is
   * a string, a box or null, whose {@code equals}, {@code hashCode} and {@code toString} are the JDK's own.
   */
  /**
   * The classes whose instances a parameter of type {@code Object} or {@code CharSequence} accepts: final JDK classes
   * whose methods are the JDK's own (a subclass of {@code Number} of the program's could run its code here).
   */
  private static final Set<Class<?>> JDK_VALUES = Set.of(String.class, Integer.class, Long.class, Short.class,
      Byte.class, Character.class, Boolean.class, Float.class, Double.class);

  static boolean foldable(final String owner, final String name, final String desc, final Object[] args,
      final boolean hasReceiver) {
    if (owner.equals("java/lang/Enum") && name.equals("ordinal") && desc.equals("()I")) {
      // A final method returning a final field of a constant: what enum switches index their switch map with.
      return true;
    }
    if (!VALUE_CLASSES.contains(owner) || IMPURE.contains(name) || name.equals("<init>")) {
      return false;
    }
    final int sort = Type.getReturnType(desc).getSort();
    if (sort == Type.VOID || sort == Type.OBJECT || sort == Type.ARRAY) {
      return false;
    }
    final Type[] params = Type.getArgumentTypes(desc);
    for (int i = 0; i < params.length; i++) {
      final Type t = params[i];
      if (t.getSort() == Type.ARRAY) {
        return false;
      }
      if (t.getSort() == Type.OBJECT && !t.getInternalName().equals("java/lang/String")) {
        final Object a = args[hasReceiver ? i + 1 : i];
        if (!(t.getInternalName().equals("java/lang/Object")
            || t.getInternalName().equals("java/lang/CharSequence"))
            || !(a == null || JDK_VALUES.contains(a.getClass()))) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Returns whether this JDK method returns its first argument whenever that argument is not null, and does nothing
   * else: {@code Objects.requireNonNull(obj)} and {@code Objects.requireNonNull(obj, message)}. On a known non-null
   * argument such a call folds to that very object: the result is the argument's identity, not a new object, and
   * the message is not looked at. On null the call throws, so it stays residual and throws at run time.
   */
  static boolean returnsNonNullArgument(final String owner, final String name, final String desc) {
    return owner.equals("java/util/Objects") && name.equals("requireNonNull")
        && (desc.equals("(Ljava/lang/Object;)Ljava/lang/Object;")
            || desc.equals("(Ljava/lang/Object;Ljava/lang/String;)Ljava/lang/Object;"));
  }

  private static boolean simpleParameters(final String desc, final boolean primitiveArrays) {
    for (final Type t : Type.getArgumentTypes(desc)) {
      final int sort = t.getSort();
      if (sort == Type.OBJECT && !t.getInternalName().equals("java/lang/String")) {
        return false;
      }
      if (sort == Type.ARRAY && !(primitiveArrays && t.getDimensions() == 1
          && t.getElementType().getSort() != Type.OBJECT)) {
        return false;
      }
    }
    return true;
  }

  /** Returns whether a residual call with these parameter types may write an array passed to it. */
  static boolean writesArrays(final String desc) {
    for (final Type t : Type.getArgumentTypes(desc)) {
      if (t.getSort() == Type.ARRAY) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a foldable method on known arguments (receiver first for instance methods), or returns empty when it
   * cannot be run here or throws (the call then stays residual and throws at run time).
   */
  static Optional<Object> run(final Class<?> owner, final String name, final String desc, final boolean isStatic,
      final Object[] args) {
    final Optional<MethodHandle> mh = HANDLES.computeIfAbsent(owner.getName() + '.' + name + desc,
        k -> handle(owner, name, desc, isStatic));
    if (mh.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(mh.get().invokeWithArguments(args));
    } catch (Throwable t) {
      // DontCheck(IllegalCatch): an exception from a folded call must surface at run time, not here.
      return Optional.empty();
    }
  }

  private static Optional<MethodHandle> handle(final Class<?> owner, final String name, final String desc,
      final boolean isStatic) {
    try {
      final MethodType type = MethodType.fromMethodDescriptorString(desc, owner.getClassLoader());
      final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      final MethodHandle mh = isStatic ? lookup.findStatic(owner, name, type)
          : lookup.findVirtual(owner, name, type);
      return Modifier.isPublic(owner.getModifiers()) ? Optional.of(mh) : Optional.empty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
