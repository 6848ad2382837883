package org.quasi.specializer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads class files and resolves classes, fields and methods the way the JVM would, without initializing anything.
 * Bytecode comes from the class's own loader (so callees in other loaders are read from the right place); members
 * are resolved with reflection. Everything is cached: one repository serves many specializations.
 *
 * <p>Thread-safe: caches are concurrent maps and cached values are immutable after construction (a
 * {@link MethodFacts#refusal} is computed before the facts are published).
 */
public final class ClassRepository {

  /** Which static initializers may run early, unobservably (memoized per class). */
  final EffectFreeInitializers effectFree = new EffectFreeInitializers(this);


  /** Resolved method: the declaring class, name, descriptor and reflective modifiers. */
  record ResolvedMethod(Class<?> declaring, String name, String desc, int modifiers) {
    boolean isStatic() {
      return Modifier.isStatic(modifiers);
    }

    boolean isAbstract() {
      return Modifier.isAbstract(modifiers);
    }
  }

  /**
   * What is cached about each class, kept in a {@link ClassValue} rather than in maps keyed by class: the cached
   * values (class trees, reflected members, facts) refer to their class, and one repository serves the whole process,
   * so maps would keep every class it ever read, with its loader, alive.
   */
  private final ClassValue<PerClass> perClass = new ClassValue<>() {
    @Override
    protected PerClass computeValue(final Class<?> c) {
      return new PerClass();
    }
  };

  private static final class PerClass {
    /** The class file as a tree (empty: none), read once. */
    volatile Optional<ClassNode> node;
    /** The declared methods by name and descriptor, listed once. */
    volatile Map<String, Method> methods;
    /** Why reflection could not list the class's methods (then they resolve to nothing), or null. */
    volatile String unlisted;
    /**
     * The declared fields by name: {@link Class#getDeclaredFields} copies every field on each call, and the
     * specializer resolves a field at each {@code getfield} it evaluates (hundreds for one walk of a linked list).
     */
    volatile Map<String, Field> declaredFields;
    /** Resolved fields by name ({@link #resolveField}), empty when the name resolves to none. */
    final Map<String, Optional<Field>> resolvedFields = new ConcurrentHashMap<>();
    /** The facts of the class's methods, by screen and method. */
    final Map<FactsKey, Optional<MethodFacts>> facts = new ConcurrentHashMap<>();
    /** The classes named from this class, by internal name (empty: none). */
    final Map<String, Optional<Class<?>>> classes = new ConcurrentHashMap<>();
  }

  /** What screened facts depend on besides the class: the screen (lookup class and privilege) and the method. */
  private record FactsKey(String screen, String name, String desc) {
  }

  /** Returns the class named by an internal name or array descriptor, as seen from {@code context}, or null. */
  Class<?> classFor(final String internalName, final Class<?> context) {
    final ClassLoader loader = context.getClassLoader();
    final Map<String, Optional<Class<?>>> byName = perClass.get(context).classes;
    // A hit (nearly every call) allocates nothing: computeIfAbsent would allocate its capturing function first.
    Optional<Class<?>> c = byName.get(internalName);
    if (c == null) {
      c = byName.computeIfAbsent(internalName,
          n -> Optional.ofNullable(load(n, loader == null ? ClassLoader.getPlatformClassLoader() : loader)));
    }
    return c.orElse(null);
  }

  /** Returns the class of a type (primitives included), as seen from {@code context}, or null. */
  Class<?> classFor(final Type type, final Class<?> context) {
    return switch (type.getSort()) {
      case Type.VOID -> void.class;
      case Type.BOOLEAN -> boolean.class;
      case Type.BYTE -> byte.class;
      case Type.CHAR -> char.class;
      case Type.SHORT -> short.class;
      case Type.INT -> int.class;
      case Type.LONG -> long.class;
      case Type.FLOAT -> float.class;
      case Type.DOUBLE -> double.class;
      default -> classFor(type.getInternalName(), context);
    };
  }

  private static Class<?> load(final String internalName, final ClassLoader loader) {
    final String name = internalName.startsWith("[") ? internalName.replace('/', '.')
        : internalName.replace('/', '.');
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /** Returns the class file of {@code c} as a tree, or empty when it has none (hidden, generated, unreadable). */
  Optional<ClassNode> classNode(final Class<?> c) {
    final PerClass p = perClass.get(c);
    Optional<ClassNode> node = p.node;
    if (node == null) {
      // One tree per class, as facts and analyses keyed by its method nodes expect.
      synchronized (p) {
        node = p.node;
        if (node == null) {
          node = read(c);
          p.node = node;
        }
      }
    }
    return node;
  }

  private static Optional<ClassNode> read(final Class<?> c) {
    if (c.isHidden() || c.isArray() || c.isPrimitive()) {
      return Optional.empty();
    }
    try (InputStream in = c.getResourceAsStream("/" + c.getName().replace('.', '/') + ".class")) {
      if (in == null) {
        return Optional.empty();
      }
      final ClassNode node = new ClassNode();
      new ClassReader(in.readAllBytes()).accept(node, ClassReader.SKIP_FRAMES | ClassReader.SKIP_DEBUG);
      return Optional.of(node);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Returns the analysed bytecode of method {@code name desc} declared in {@code c}, screened by {@code screen}, or
   * null when {@code c} declares no such method with code.
   */
  MethodFacts facts(final Class<?> c, final String name, final String desc, final CalleeScreen screen) {
    final FactsKey key = new FactsKey(screen.id(), name, desc);
    final Map<FactsKey, Optional<MethodFacts>> facts = perClass.get(c).facts;
    final Optional<MethodFacts> cached = facts.get(key);
    if (cached != null) {
      return cached.orElse(null);
    }
    final Optional<ClassNode> cn = classNode(c);
    MethodFacts result = null;
    if (cn.isPresent()) {
      for (final MethodNode m : cn.get().methods) {
        if (m.name.equals(name) && m.desc.equals(desc) && m.instructions.size() > 0) {
          // A synchronized method is analysed with its locking explicit: as entry or callee, it keeps it.
          result = new MethodFacts(c, cn.get().name,
              (m.access & org.objectweb.asm.Opcodes.ACC_SYNCHRONIZED) != 0 ? ExplicitLocking.of(cn.get().name, m) : m);
          result.refusal = screen.refusal(result);
          result.refusedInstructions = result.refusal == null ? null : screen.refusedInstructions(result);
          break;
        }
      }
    }
    facts.put(key, Optional.ofNullable(result));
    return result;
  }

  /**
   * Returns whether initializing {@code c} may run a static initializer whose running may be observed (one that is
   * not {@link PureInitializers#pure}): its own, a superclass's, or that of a superinterface declaring a default
   * method, which the JVM initializes with the class (JVMS 5.5).
   */
  boolean hasStaticInitializer(final Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      if (observableInitializer(k) || !k.isInterface() && interfaceInitializer(k.getInterfaces())) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of {@code interfaces} (or theirs) that the JVM initializes with a class has an observable one. */
  private boolean interfaceInitializer(final Class<?>[] interfaces) {
    for (final Class<?> i : interfaces) {
      final Optional<ClassNode> cn = classNode(i);
      final boolean defaults = cn.isEmpty() || cn.get().methods.stream().anyMatch(m -> !m.name.equals("<clinit>")
          && (m.access & (org.objectweb.asm.Opcodes.ACC_ABSTRACT | org.objectweb.asm.Opcodes.ACC_STATIC)) == 0);
      if (defaults && observableInitializer(i) || interfaceInitializer(i.getInterfaces())) {
        return true;
      }
    }
    return false;
  }

  private boolean observableInitializer(final Class<?> k) {
    final Optional<ClassNode> cn = classNode(k);
    if (cn.isEmpty()) {
      return true;
    }
    final String name = cn.get().name;
    return cn.get().methods.stream().anyMatch(m -> m.name.equals("<clinit>") && !PureInitializers.pure(name, m));
  }

  /**
   * Returns whether resolved method {@code m} is caller-sensitive: a JDK method annotated
   * {@code jdk.internal.reflect.CallerSensitive}, whose result depends on the class that calls it
   * ({@code MethodHandles.lookup()}, {@code Class.forName(String)}, {@code Method.invoke}...).
   */
  boolean callerSensitive(final ResolvedMethod m) {
    final ClassLoader loader = m.declaring().getClassLoader();
    if (loader != null && loader != ClassLoader.getPlatformClassLoader() || m.name().equals("<init>")) {
      return false;
    }
    final Method method = methodsOf(m.declaring()).get(m.name() + m.desc());
    try {
      if (method != null) {
        for (final java.lang.annotation.Annotation a : method.getDeclaredAnnotations()) {
          if (a.annotationType().getName().equals("jdk.internal.reflect.CallerSensitive")) {
            return true;
          }
        }
      }
    } catch (RuntimeException | LinkageError e) {
      // Annotations that cannot be read: assume the worst.
      return true;
    }
    return false;
  }

  private Map<String, Method> methodsOf(final Class<?> c) {
    final PerClass p = perClass.get(c);
    Map<String, Method> methods = p.methods;
    if (methods != null) {
      return methods;
    }
    methods = new HashMap<>();
    try {
      for (final Method m : c.getDeclaredMethods()) {
        methods.put(m.getName() + Type.getMethodDescriptor(m), m);
      }
    } catch (LinkageError | SecurityException e) {
      // A class whose methods cannot be listed resolves nothing: callers then leave calls residual, and a decline
      // for it says why (unlistedMethods).
      // The missing class in binary form, as the report's reason keys leave qualified names out.
      p.unlisted = e.getClass().getName() + ": " + String.valueOf(e.getMessage()).replace('/', '.');
    }
    // Published after unlisted: whoever sees the map sees why it may be empty.
    p.methods = methods;
    return methods;
  }

  /**
   * Why a method declared in {@code owner}'s hierarchy may not resolve: the first class of it, superclasses then
   * superinterfaces, whose methods reflection could not list (one of their signatures names a class missing from the
   * class path: spring-core's {@code DataBufferUtils} without reactive-streams), as a clause; or null.
   */
  String unlistedMethods(final Class<?> owner) {
    final List<Class<?>> hierarchy = new ArrayList<>();
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      hierarchy.add(k);
    }
    hierarchy.addAll(allInterfaces(owner));
    for (final Class<?> k : hierarchy) {
      final String why = perClass.get(k).unlisted;
      if (why != null) {
        return "the methods of " + k.getName() + " cannot be listed (" + why + ")";
      }
    }
    return null;
  }

  /**
   * Resolves a method reference as {@code invokestatic}/{@code invokespecial}/{@code invokevirtual} would (JVMS
   * 5.4.3.3 and 5.4.3.4): the class and its superclasses first, then superinterfaces. Constructors resolve to the
   * owner. Returns null when nothing matches.
   */
  ResolvedMethod resolve(final Class<?> owner, final String name, final String desc) {
    if (name.equals("<init>")) {
      try {
        for (final var ctor : owner.getDeclaredConstructors()) {
          if (Type.getConstructorDescriptor(ctor).equals(desc)) {
            return new ResolvedMethod(owner, name, desc, ctor.getModifiers());
          }
        }
      } catch (LinkageError | SecurityException e) {
        return null;
      }
      return null;
    }
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      final Method m = methodsOf(k).get(name + desc);
      if (m != null) {
        return new ResolvedMethod(k, name, desc, m.getModifiers());
      }
    }
    for (final Class<?> i : allInterfaces(owner)) {
      final Method m = methodsOf(i).get(name + desc);
      if (m != null && !Modifier.isPrivate(m.getModifiers())) {
        return new ResolvedMethod(i, name, desc, m.getModifiers());
      }
    }
    if (owner.isInterface()) {
      final Method m = methodsOf(Object.class).get(name + desc);
      if (m != null && Modifier.isPublic(m.getModifiers())) {
        return new ResolvedMethod(Object.class, name, desc, m.getModifiers());
      }
    }
    return null;
  }

  /**
   * Whether {@code owner.name} is signature polymorphic (JVMS 2.9.3): {@code MethodHandle} or {@code VarHandle}
   * declares exactly one method of that name, native, varargs, taking one {@code Object[]}. A call of it resolves by
   * name alone, whatever the call site's descriptor (JVMS 5.4.3.3 step 2), so {@link #resolve}, which matches the
   * descriptor, finds nothing: {@code VarHandle.get([BI)I} is that method called on a byte array and an index.
   */
  boolean signaturePolymorphic(final Class<?> owner, final String name) {
    if (owner != java.lang.invoke.MethodHandle.class && owner != java.lang.invoke.VarHandle.class) {
      return false;
    }
    Method found = null;
    for (final Method m : methodsOf(owner).values()) {
      if (m.getName().equals(name)) {
        if (found != null) {
          return false;
        }
        found = m;
      }
    }
    return found != null && found.isVarArgs() && Modifier.isNative(found.getModifiers())
        && found.getParameterCount() == 1 && found.getParameterTypes()[0] == Object[].class;
  }

  /**
   * Selects the method a virtual or interface call on a receiver of exact class {@code receiver} runs (JVMS
   * 5.4.6), for the resolved method {@code resolved}. Returns null when selection is ambiguous or would depend on
   * package-private overriding rules across packages (the call is then left residual).
   */
  ResolvedMethod select(final Class<?> receiver, final ResolvedMethod resolved) {
    if (Modifier.isPrivate(resolved.modifiers())) {
      return resolved;
    }
    for (Class<?> k = receiver; k != null; k = k.getSuperclass()) {
      final Method m = methodsOf(k).get(resolved.name() + resolved.desc());
      if (m != null && !Modifier.isStatic(m.getModifiers()) && !Modifier.isPrivate(m.getModifiers())) {
        final boolean packageRules = !Modifier.isPublic(m.getModifiers())
            && !Modifier.isProtected(m.getModifiers())
            || !Modifier.isPublic(resolved.modifiers()) && !Modifier.isProtected(resolved.modifiers());
        if (packageRules && k != resolved.declaring()) {
          return null;
        }
        return new ResolvedMethod(k, m.getName(), resolved.desc(), m.getModifiers());
      }
    }
    ResolvedMethod found = null;
    for (final Class<?> i : allInterfaces(receiver)) {
      final Method m = methodsOf(i).get(resolved.name() + resolved.desc());
      if (m != null && !Modifier.isAbstract(m.getModifiers()) && !Modifier.isStatic(m.getModifiers())
          && !Modifier.isPrivate(m.getModifiers())) {
        if (found != null && !found.declaring().isAssignableFrom(i)) {
          if (i.isAssignableFrom(found.declaring())) {
            continue;
          }
          return null;
        }
        found = new ResolvedMethod(i, m.getName(), resolved.desc(), m.getModifiers());
      }
    }
    return found;
  }

  /** Resolves a field reference (JVMS 5.4.3.2): the class, its superinterfaces, then its superclasses. */
  Field resolveField(final Class<?> owner, final String name) {
    final Map<String, Optional<Field>> byName = perClass.get(owner).resolvedFields;
    // As in classFor: a hit allocates no capturing function.
    Optional<Field> f = byName.get(name);
    if (f == null) {
      f = byName.computeIfAbsent(name, n -> Optional.ofNullable(lookUpField(owner, n)));
    }
    return f.orElse(null);
  }

  private Field lookUpField(final Class<?> owner, final String name) {
    for (Class<?> k = owner; k != null; k = k.getSuperclass()) {
      try {
        final Field own = declaredFields(k).get(name);
        if (own != null) {
          return own;
        }
        for (final Class<?> i : allInterfaces(k)) {
          final Field inherited = declaredFields(i).get(name);
          if (inherited != null) {
            return inherited;
          }
        }
      } catch (LinkageError | SecurityException e) {
        return null;
      }
    }
    return null;
  }

  /** {@code c}'s declared fields by name (a class declares at most one field of a name). */
  private Map<String, Field> declaredFields(final Class<?> c) {
    final PerClass p = perClass.get(c);
    Map<String, Field> byName = p.declaredFields;
    if (byName == null) {
      byName = new HashMap<>();
      for (final Field f : c.getDeclaredFields()) {
        byName.putIfAbsent(f.getName(), f);
      }
      byName = Map.copyOf(byName);
      p.declaredFields = byName;
    }
    return byName;
  }

  private static List<Class<?>> allInterfaces(final Class<?> c) {
    final Set<Class<?>> seen = new LinkedHashSet<>();
    final ArrayDeque<Class<?>> work = new ArrayDeque<>();
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      if (k.isInterface()) {
        work.add(k);
      }
      work.addAll(List.of(k.getInterfaces()));
    }
    while (!work.isEmpty()) {
      final Class<?> i = work.poll();
      if (seen.add(i)) {
        work.addAll(List.of(i.getInterfaces()));
      }
    }
    seen.remove(c);
    return new ArrayList<>(seen);
  }
}
