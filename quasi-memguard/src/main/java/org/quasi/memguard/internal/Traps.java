package org.quasi.memguard.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.quasi.memguard.Mechanism;
import org.quasi.memguard.MemGuardLog;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.runtime.Guards;
import org.quasi.runtime.internal.IdentityWeakTable;

/**
 * What trapped code calls (mechanism 1, {@link Mechanism#AGENT_TRAP}): the {@link TrapRewriter} replaces each trapped
 * instruction by a call to a private static synthetic helper of the same class, which checks here whether the target
 * is protected and, if so, logs the write with its old and new value and the stack, and then performs the original
 * instruction itself (in the original class, so access checks and caller-sensitive methods see the same caller).
 *
 * <p><b>Cost.</b> While nothing is protected or MemGuard is disabled a trapped site pays one static volatile read
 * ({@link #armed}) and a branch. Armed, a {@code putfield} to an object pays an identity lookup (a synchronized weak
 * table) before the store; a reflective, var handle, updater or Unsafe site also boxes its arguments into an array.
 *
 * <p>Handles and updaters are recognized by how they were made: {@code Lookup.findSetter}/{@code findStaticSetter}/
 * {@code unreflectSetter} and {@code MethodHandles.arrayElementSetter} results are wrapped (the returned handle
 * checks, then sets), and var handles
 * ({@code findVarHandle}, {@code findStaticVarHandle}, {@code unreflectVarHandle},
 * {@code MethodHandles.arrayElementVarHandle}) and field updaters ({@code newUpdater}) are remembered by identity
 * when made in trapped code.
 *
 * @implNote Not recognized, and so not reported here (the verifier still sees their effect on a version's
 *     dependencies): var handles and updaters made in untrapped code (the JDK, classes loaded before the agent),
 *     handles obtained through {@code MethodHandles.reflectAs} or made from a setter by combinators before reaching
 *     trapped code, {@code jdk.internal.misc.Unsafe}, and JNI (the JDWP mechanism's). A compare-and-set is reported
 *     as an attempted write whether or not it succeeds. Values are printed without calling application code
 *     ({@code Class@hash} for objects other than strings and boxes).
 */
public final class Traps {

  /** Whether MemGuard is enabled and something is protected: the one read a trapped site pays when silent. */
  public static volatile boolean armed;

  private static final ProtectedSet PROTECTED = new ProtectedSet();
  private static volatile MemGuardLog log = new MemGuardLog();
  private static volatile boolean enabled;
  private static final ThreadLocal<Boolean> REPORTING = new ThreadLocal<>();

  /** Var handles and field updaters made in trapped code: what they write. */
  private static final IdentityWeakTable<Target> MADE = new IdentityWeakTable<>();

  /** Field keys by (class, name) as a {@code putfield} names them, resolved to the declaring class once. */
  private static final ClassValue<Map<String, String>> INSTANCE_KEYS = new ClassValue<>() {
    @Override
    protected Map<String, String> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };
  private static final ClassValue<Map<String, String>> STATIC_KEYS = new ClassValue<>() {
    @Override
    protected Map<String, String> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private static final MethodHandle SETTER_CHECK;
  private static final MethodHandle STATIC_SETTER_CHECK;
  private static final MethodHandle ELEMENT_CHECK;

  static {
    try {
      final MethodHandles.Lookup l = MethodHandles.lookup();
      SETTER_CHECK = l.findStatic(Traps.class, "setterCheck",
          MethodType.methodType(void.class, Field.class, MethodHandle.class, Object.class, Object.class));
      STATIC_SETTER_CHECK = l.findStatic(Traps.class, "staticSetterCheck",
          MethodType.methodType(void.class, Field.class, MethodHandle.class, Object.class));
      ELEMENT_CHECK = l.findStatic(Traps.class, "elementSetterCheck",
          MethodType.methodType(void.class, Object.class, int.class, Object.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** What a var handle or updater writes: a field, or the elements of arrays. */
  private record Target(Field field) {
    boolean arrayElements() {
      return field == null;
    }
  }

  private Traps() {
  }

  // -----------------------------------------------------------------------------------------------------------------
  // State (MemGuard's facade)
  // -----------------------------------------------------------------------------------------------------------------

  /** The protected locations. */
  public static ProtectedSet protectedSet() {
    return PROTECTED;
  }

  /** The log every mechanism of this JVM reports to. */
  public static MemGuardLog log() {
    return log;
  }

  /** Replaces the log (the previous one keeps what it has). */
  public static void useLog(final MemGuardLog newLog) {
    log = java.util.Objects.requireNonNull(newLog, "log");
  }

  /** Turns checking on or off. */
  public static void enable(final boolean on) {
    enabled = on;
    rearm();
  }

  /** Whether MemGuard is enabled. */
  public static boolean enabled() {
    return enabled;
  }

  /** Recomputes {@link #armed} after a protection was added. */
  public static void rearm() {
    armed = enabled && PROTECTED.any();
  }

  // -----------------------------------------------------------------------------------------------------------------
  // putfield / putstatic
  // -----------------------------------------------------------------------------------------------------------------

  /** Whether field {@code name}, as {@code owner} sees it, of {@code target} is protected. */
  public static boolean isProtected(final Object target, final Class<?> owner, final String name) {
    return target != null && PROTECTED.mayHold(target) && PROTECTED.isProtected(target, key(owner, name, false));
  }

  /** Whether element {@code index} of {@code array} is protected: the check of a trapped array store. */
  public static boolean isProtectedElement(final Object array, final int index) {
    return array != null && PROTECTED.mayHold(array) && PROTECTED.isProtected(array, ProtectedSet.key(index));
  }

  /** Reports a trapped array store ({@code how} = {@code "iastore"}, …) to a protected element. */
  public static void arrayStore(final String how, final Object array, final int index, final Object value) {
    report(how, describe(array), array.getClass().getName() + "." + ProtectedSet.key(index),
        readElement(array, index), value);
  }

  private static void element(final String how, final Object array, final int index, final Object value) {
    if (array != null && array.getClass().isArray() && PROTECTED.isProtected(array, ProtectedSet.key(index))) {
      arrayStore(how, array, index, value);
    }
  }

  /** Whether static field {@code name}, as {@code owner} sees it, is protected. */
  public static boolean isProtectedStatic(final Class<?> owner, final String name) {
    final String key = key(owner, name, true);
    return PROTECTED.isProtected(null, key) || PROTECTED.namedStatic(key, owner.getName());
  }

  /** Reports a trapped {@code putfield} to a protected field. */
  public static void putfield(final Object target, final Class<?> owner, final String name, final Object old,
      final Object value) {
    final String key = key(owner, name, false);
    report("putfield", describe(target), key, old, value);
  }

  /** Reports a trapped {@code putstatic} to a protected field. */
  public static void putstatic(final Class<?> owner, final String name, final Object old, final Object value) {
    report("putstatic", "static", key(owner, name, true), old, value);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Calls that write: Field.set*, VarHandle, field updaters, Unsafe
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Prefix of the {@code how} of a write call that quasi-agent bracketed with its guard ({@code ReflectiveWrites},
   * {@code HandleWrites}, {@code UnsafeWrites}). The bracket is a guarded write only where the guard weaving applies:
   * a field the spec declares quasi-invariant, or a location whose object has a QUID (a static field: whose guard
   * flag is armed), where the bracket ran the slow path and invalidated the dependents. A field protected only by
   * {@link org.quasi.memguard.MemGuard#protect} outside the spec is not guarded by it and is reported; so is an array
   * element, which no bracket guards.
   */
  public static final String AGENT_GUARDED = "agent-guarded ";

  /**
   * Checks a trapped call before it runs. {@code how} is {@code "Field.set"}, {@code "VarHandle.set"},
   * {@code "AtomicIntegerFieldUpdater.set"}, {@code "Unsafe.putInt"} …; {@code args} are the call's operands, the
   * receiver first.
   */
  public static void call(final String trapped, final Object[] args) {
    if (REPORTING.get() != null) {
      return;
    }
    // A call quasi-agent bracketed with a guard: its field writes are guarded; an array element is not.
    final boolean fieldsGuarded = trapped.startsWith(AGENT_GUARDED);
    final String how = fieldsGuarded ? trapped.substring(AGENT_GUARDED.length()) : trapped;
    try {
      if (fieldsGuarded) {
        BRACKETED.set(Boolean.TRUE);
        try {
          if (how.startsWith("Field.")) {
            fieldSet(how, (Field) args[0], args[1], args[2]);
          } else if (how.startsWith("VarHandle.")) {
            varHandle(how, (VarHandle) args[0], args);
          } else if (how.startsWith("Atomic")) {
            updater(how, args);
          } else if (how.startsWith("Unsafe.")) {
            UnsafeTargets.check(how, args);
          }
        } finally {
          BRACKETED.remove();
        }
      } else if (how.startsWith("Array.")) {
        element(how, args[0], (Integer) args[1], args[2]);
      } else if (how.startsWith("Field.")) {
        fieldSet(how, (Field) args[0], args[1], args[2]);
      } else if (how.startsWith("VarHandle.")) {
        varHandle(how, (VarHandle) args[0], args);
      } else if (how.startsWith("Atomic")) {
        updater(how, args);
      } else if (how.startsWith("Unsafe.")) {
        UnsafeTargets.check(how, args);
      }
    } catch (RuntimeException | LinkageError e) {
      // A check must never break the program it watches: the write proceeds, the failure is said once.
      complain(how, e);
    }
  }

  /**
   * Post-processes a trapped handle, var handle or updater acquisition: returns the setter handle wrapped with a
   * check, or the var handle/updater after remembering what it writes. {@code args} are the call's operands.
   */
  public static Object acquired(final String how, final Object result, final Object[] args) {
    try {
      switch (how) {
        case "Lookup.findSetter", "Lookup.findStaticSetter" -> {
          final boolean isStatic = how.endsWith("StaticSetter");
          final MethodHandles.Lookup lookup = (MethodHandles.Lookup) args[0];
          final Class<?> refc = (Class<?>) args[1];
          final String name = (String) args[2];
          final Class<?> type = (Class<?>) args[3];
          MethodHandle getter;
          try {
            getter = isStatic ? lookup.findStaticGetter(refc, name, type) : lookup.findGetter(refc, name, type);
          } catch (ReflectiveOperationException e) {
            getter = null;
          }
          return wrapSetter((MethodHandle) result, ProtectedSet.resolve(refc, name, isStatic), getter);
        }
        case "Lookup.unreflectSetter" -> {
          final Field f = (Field) args[1];
          MethodHandle getter;
          try {
            getter = ((MethodHandles.Lookup) args[0]).unreflectGetter(f);
          } catch (ReflectiveOperationException e) {
            getter = null;
          }
          return wrapSetter((MethodHandle) result, f, getter);
        }
        case "Lookup.findVarHandle", "Lookup.findStaticVarHandle" ->
            MADE.computeIfAbsent(result, r -> new Target(ProtectedSet.resolve((Class<?>) args[1], (String) args[2],
                how.endsWith("StaticVarHandle"))));
        case "Lookup.unreflectVarHandle" -> MADE.computeIfAbsent(result, r -> new Target((Field) args[1]));
        case "MethodHandles.arrayElementVarHandle" -> MADE.computeIfAbsent(result, r -> new Target(null));
        case "MethodHandles.arrayElementSetter" -> {
          final MethodHandle setter = (MethodHandle) result;
          return MethodHandles.foldArguments(setter, ELEMENT_CHECK.asType(setter.type()));
        }
        case "AtomicIntegerFieldUpdater.newUpdater", "AtomicLongFieldUpdater.newUpdater",
            "AtomicReferenceFieldUpdater.newUpdater" ->
            MADE.computeIfAbsent(result, r -> new Target(ProtectedSet.resolve((Class<?>) args[0],
                (String) args[args.length - 1], false)));
        default -> throw new IllegalArgumentException("unknown acquisition " + how);
      }
    } catch (RuntimeException e) {
      complain(how, e);
    }
    return result;
  }

  private static MethodHandle wrapSetter(final MethodHandle setter, final Field field, final MethodHandle getter) {
    final boolean isStatic = Modifier.isStatic(field.getModifiers());
    final MethodHandle check = MethodHandles.insertArguments(isStatic ? STATIC_SETTER_CHECK : SETTER_CHECK, 0,
        field, getter).asType(setter.type());
    return MethodHandles.foldArguments(setter, check);
  }

  @SuppressWarnings("unused") // called through SETTER_CHECK
  private static void setterCheck(final Field field, final MethodHandle getter, final Object target,
      final Object value) throws Throwable {
    if (armed && target != null && PROTECTED.mayHold(target) && PROTECTED.isProtected(target, ProtectedSet.key(field))
        && REPORTING.get() == null) {
      report("MethodHandle setter", describe(target), ProtectedSet.key(field),
          getter == null ? "(unreadable)" : getter.invoke(target), value);
    }
  }

  @SuppressWarnings("unused") // called through STATIC_SETTER_CHECK
  private static void staticSetterCheck(final Field field, final MethodHandle getter, final Object value)
      throws Throwable {
    if (armed && PROTECTED.isProtected(null, ProtectedSet.key(field)) && REPORTING.get() == null) {
      report("MethodHandle setter", "static", ProtectedSet.key(field),
          getter == null ? "(unreadable)" : getter.invoke(), value);
    }
  }

  @SuppressWarnings("unused") // called through ELEMENT_CHECK
  private static void elementSetterCheck(final Object array, final int index, final Object value) {
    if (armed && REPORTING.get() == null) {
      element("MethodHandle array element setter", array, index, value);
    }
  }

  private static void fieldSet(final String how, final Field field, final Object target, final Object value) {
    final boolean isStatic = Modifier.isStatic(field.getModifiers());
    final String key = ProtectedSet.key(field);
    if ((isStatic ? PROTECTED.isProtected(null, key) : target != null && PROTECTED.isProtected(target, key))
        && !guardedByBracket(field, target)) {
      report(how, isStatic ? "static" : describe(target), key, readField(field, target), value);
    }
  }

  /** Set while checking a call quasi-agent bracketed with its guard ({@link #AGENT_GUARDED}). */
  private static final ThreadLocal<Boolean> BRACKETED = new ThreadLocal<>();

  /**
   * Whether the write of {@code field} on {@code target} ({@code null}: static) is the guarded write of an agent
   * bracket: inside one, on a field the spec declares or a location the bracket's slow path covered.
   */
  static boolean guardedByBracket(final Field field, final Object target) {
    if (BRACKETED.get() == null) {
      return false;
    }
    final String key = ProtectedSet.key(field);
    if (target == null) {
      return PROTECTED.namedStatic(key, field.getDeclaringClass().getName())
          || Guards.staticFlag(field.getDeclaringClass(), field.getName()).armed();
    }
    return PROTECTED.namedInstance(target.getClass(), key) || Guards.existingQuid(target) != null;
  }

  private static void varHandle(final String how, final VarHandle handle, final Object[] args) {
    final Target t = MADE.get(handle);
    if (t == null) {
      return;
    }
    final Object value = newValue(how, args);
    if (t.arrayElements()) {
      if (args.length >= 3 && args[1] != null && args[2] instanceof Integer i
          && PROTECTED.isProtected(args[1], ProtectedSet.key(i))) {
        report(how, describe(args[1]), args[1].getClass().getName() + "." + ProtectedSet.key(i),
            readElement(args[1], i), value);
      }
      return;
    }
    final Field f = t.field();
    final boolean isStatic = Modifier.isStatic(f.getModifiers());
    final Object target = isStatic ? null : args[1];
    if (isStatic || target != null) {
      fieldSet(how, f, target, value);
    }
  }

  private static void updater(final String how, final Object[] args) {
    final Target t = MADE.get(args[0]);
    if (t == null || args.length < 2 || args[1] == null) {
      return;
    }
    final Object target = args[1];
    final String key = ProtectedSet.key(t.field());
    if (!PROTECTED.isProtected(target, key) || guardedByBracket(t.field(), target)) {
      return;
    }
    final Object old;
    if (args[0] instanceof AtomicIntegerFieldUpdater<?> u) {
      old = getInt(u, target);
    } else if (args[0] instanceof AtomicLongFieldUpdater<?> u) {
      old = getLong(u, target);
    } else {
      old = getReference((AtomicReferenceFieldUpdater<?, ?>) args[0], target);
    }
    report(how, describe(target), key, old, newValue(how, args));
  }

  @SuppressWarnings("unchecked")
  private static int getInt(final AtomicIntegerFieldUpdater<?> u, final Object target) {
    return ((AtomicIntegerFieldUpdater<Object>) u).get(target);
  }

  @SuppressWarnings("unchecked")
  private static long getLong(final AtomicLongFieldUpdater<?> u, final Object target) {
    return ((AtomicLongFieldUpdater<Object>) u).get(target);
  }

  @SuppressWarnings("unchecked")
  private static Object getReference(final AtomicReferenceFieldUpdater<?, ?> u, final Object target) {
    return ((AtomicReferenceFieldUpdater<Object, Object>) u).get(target);
  }

  /** The value a write stores: the last operand, or for read-modify-write calls the operand it combines. */
  static Object newValue(final String how, final Object[] args) {
    final String method = how.substring(how.indexOf('.') + 1);
    final Object last = args[args.length - 1];
    if (method.startsWith("getAndAdd") || method.startsWith("addAndGet") || method.startsWith("getAndBitwise")) {
      return new Operand(method, last);
    }
    if (method.contains("ncrement") || method.contains("ecrement")) {
      return new Operand(method, null);
    }
    if (method.contains("pdate") || method.contains("ccumulate")) {
      return new Operand(method, last);
    }
    return last;
  }

  /** A read-modify-write's operand, printed as what it does. */
  record Operand(String operation, Object operand) {
    @Override
    public String toString() {
      return "(" + operation + (operand == null ? "" : " " + text(operand)) + ")";
    }
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Reporting
  // -----------------------------------------------------------------------------------------------------------------

  /** Logs one unguarded write seen by a trap, with the current thread and its stack. */
  static void report(final String how, final String object, final String key, final Object old, final Object value) {
    report(Mechanism.AGENT_TRAP, how, object, key, old, value);
  }

  /** Logs one unguarded write, with the current thread and its stack. */
  public static void report(final Mechanism mechanism, final String how, final String object, final String key,
      final Object old, final Object value) {
    if (REPORTING.get() != null) {
      return;
    }
    REPORTING.set(Boolean.TRUE);
    try {
      // Keys are "Declaring.field", "ArrayClass.[i]", or "[i]" (the array's class is then the object's).
      final int element = key.lastIndexOf(".[");
      final int dot = key.lastIndexOf('.');
      final String owner;
      final String field;
      if (element >= 0) {
        owner = key.substring(0, element);
        field = key.substring(element + 1);
      } else if (key.startsWith("[")) {
        owner = object.substring(0, Math.max(0, object.lastIndexOf('@')));
        field = key;
      } else {
        owner = key.substring(0, dot);
        field = key.substring(dot + 1);
      }
      log.add(new UnguardedWrite(mechanism, how, Thread.currentThread().getName(), callerStack(), object, owner,
          field, text(old), text(value)));
    } finally {
      REPORTING.remove();
    }
  }

  /** The current stack without MemGuard's frames, the trap helpers and the method handle machinery above them. */
  static List<StackTraceElement> callerStack() {
    final StackTraceElement[] all = new Throwable().getStackTrace();
    int from = 0;
    while (from < all.length && machinery(all[from])) {
      from++;
    }
    final List<StackTraceElement> stack = new ArrayList<>(all.length - from);
    for (int i = from; i < all.length; i++) {
      if (!all[i].getMethodName().startsWith(TrapRewriter.HELPER_PREFIX)) {
        stack.add(all[i]);
      }
    }
    return stack;
  }

  /** MemGuard's frames and the JDK's handle, proxy and reflection frames between them and the writing code. */
  private static boolean machinery(final StackTraceElement frame) {
    final String c = frame.getClassName();
    return c.startsWith("org.quasi.memguard.internal.") || c.startsWith("org.quasi.memguard.MemGuard")
        || c.startsWith("java.lang.invoke.") || c.startsWith("jdk.proxy")
        || c.startsWith("com.sun.proxy.") || c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.")
        || frame.getMethodName().startsWith(TrapRewriter.HELPER_PREFIX);
  }

  /** {@code ClassName@identityHashHex}: names an object without calling its code. */
  public static String describe(final Object object) {
    return object.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(object));
  }

  /** A value as text without calling application code. */
  static String text(final Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Character || value instanceof Operand) {
      return String.valueOf(value);
    }
    if (value instanceof Class<?> c) {
      return "class " + c.getName();
    }
    return describe(value);
  }

  static Object readField(final Field field, final Object target) {
    try {
      return field.get(target);
    } catch (IllegalAccessException | RuntimeException e) {
      return "(unreadable)";
    }
  }

  static Object readElement(final Object array, final int index) {
    try {
      return Array.get(array, index);
    } catch (RuntimeException e) {
      return "(unreadable)";
    }
  }

  private static final Map<String, Boolean> COMPLAINED = new ConcurrentHashMap<>();

  private static void complain(final String how, final Throwable e) {
    if (COMPLAINED.putIfAbsent(how + e.getClass().getName(), Boolean.TRUE) == null) {
      System.err.println("memguard: could not check a " + how + " write (it proceeds unchecked): " + e);
    }
  }

  private static String key(final Class<?> owner, final String name, final boolean isStatic) {
    final Map<String, String> keys = (isStatic ? STATIC_KEYS : INSTANCE_KEYS).get(owner);
    final String known = keys.get(name);
    if (known != null) {
      return known;
    }
    String resolved;
    try {
      resolved = ProtectedSet.key(ProtectedSet.resolve(owner, name, isStatic));
    } catch (IllegalArgumentException e) {
      resolved = owner.getName() + "." + name;
    }
    keys.put(name, resolved);
    return resolved;
  }
}
