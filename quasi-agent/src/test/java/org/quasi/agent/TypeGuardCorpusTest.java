package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.Guards;

/**
 * TypeGuard's fixture corpus (quasi-typeguard's test classes, {@code org.quasi.typeguard.fixtures}) run woven and as
 * compiled: every write kind TypeGuard knows (constructor and method writes, static and interface fields, writes from
 * other classes and through subclasses, array elements, reflection, var and method handles, field updaters,
 * {@code Unsafe}, serialization, JNI) does the same thing in both, with and without QUIDs on the objects, in the
 * default and strict modes. The corpus was written to be analysed, not run; {@link #script} runs each of its methods.
 */
class TypeGuardCorpusTest {

  private static final String PKG = "org.quasi.typeguard.fixtures.";

  /** The quasi-invariants of quasi-typeguard's FixtureCorpus (Task.uid is annotated). */
  private static final Set<String> SPEC = Set.of("Task.euid", "Task.count", "Counter.hits", "Account.balance",
      "Account.cache", "Table.slots", "Limits.MAX", "Point.x", "Derived.tag", "Calm.mode").stream()
      .map(f -> "org/quasi/typeguard/fixtures/" + f).collect(java.util.stream.Collectors.toSet());

  @Test
  void everyWriteKindOfTheCorpusBehavesAsCompiled() throws Throwable {
    final List<String> expected = script(loader(null), false);
    assertThat(expected).hasSizeGreaterThan(40);
    for (final boolean strict : new boolean[] {false, true}) {
      final WeavingClassLoader woven = loader(WeaveOptions.defaults().withStrict(strict));
      assertThat(script(woven, false)).as("woven, strict=" + strict).isEqualTo(expected);
      assertThat(woven.results()).anySatisfy(r -> assertThat(r.guardedWrites()).isPositive());
      assertThat(script(loader(WeaveOptions.defaults().withStrict(strict)), true))
          .as("woven with QUIDs and armed flags, strict=" + strict).isEqualTo(expected);
    }
  }

  @Test
  void theSyntheticFieldsAreVisibleToReflectionOverAllDeclaredFields() throws Exception {
    // The one difference a program can see: Class.getDeclaredFields lists the QUID field and the guard flags, so
    // Reflective.allOfTask, which sets every declared field of Task to 0, fails on the woven Task's QUID field.
    final WeavingClassLoader original = loader(null);
    final Object plain = run(original, "Reflective", "allOfTask", newInstance(original, "Reflective"),
        newTask(original, 1));
    final WeavingClassLoader woven = loader(WeaveOptions.defaults());
    final Object wovenOutcome = run(woven, "Reflective", "allOfTask", newInstance(woven, "Reflective"),
        newTask(woven, 1));
    assertThat(plain).isEqualTo("returned null");
    assertThat(wovenOutcome).isEqualTo("threw IllegalArgumentException");
  }

  private static WeavingClassLoader loader(final WeaveOptions options) {
    final ClassLoader parent = TypeGuardCorpusTest.class.getClassLoader();
    return new WeavingClassLoader(parent, ClassBytes.of(parent), options == null ? null : new GuardSpec(SPEC),
        n -> n.startsWith(PKG), options == null ? WeaveOptions.defaults() : options);
  }

  /**
   * Runs every method of the corpus that writes (or opens a way to write) a quasi-invariant and returns what each
   * did: its result or exception, and the state of the objects it touched. With {@code guard}, every object gets a
   * QUID and every static quasi-invariant a dependent before it is written, so the woven slow paths run.
   */
  private static List<String> script(final WeavingClassLoader l, final boolean guard) throws Throwable {
    final List<String> out = new ArrayList<>();
    final Class<?> taskClass = l.loadClass(PKG + "Task");
    if (guard) {
      guardStatic(l, "Task", "count");
      guardStatic(l, "Limits", "MAX");
    }
    // TG101-TG103: constructors and the declaring class.
    final Object t = newTask(l, 5);
    guard(t, guard);
    out.add("new Task(5) " + state(t));
    final Constructor<?> leaking = taskClass.getDeclaredConstructor(int.class, boolean.class);
    leaking.setAccessible(true);
    final Object t2 = leaking.newInstance(6, true);
    out.add("new Task(6, true) " + state(t2) + " registered " + registrySize(l));
    final Constructor<?> copying = taskClass.getDeclaredConstructor(taskClass);
    copying.setAccessible(true);
    final Object t3 = copying.newInstance(t);
    out.add("new Task(t) " + state(t3) + " other " + state(t));
    out.add("setUid " + run(l, "Task", "setUid", t, 8) + " " + state(t));
    out.add("bump " + run(l, "Task", "bump") + " count " + staticValue(l, "Task", "count"));
    out.add("reset (native) " + run(l, "Task", "reset"));
    final Object calm = newInstance(l, "Calm");
    out.add("new Calm() " + state(calm));
    final Object derived = newInstance(l, "Derived", 7);
    out.add("new Derived(7) " + state(derived) + " registered " + registrySize(l));
    final Object point = newInstance(l, "Point", 3);
    out.add("new Point(3) " + point);
    final Object sub = newInstance(l, "SubTask");
    guard(sub, guard);
    // TG104: writes from another class, through a subclass.
    final Object intruder = newInstance(l, "Intruder");
    out.add("direct " + run(l, "Intruder", "direct", intruder, t) + " " + state(t));
    out.add("viaSubclass " + run(l, "Intruder", "viaSubclass", intruder, sub) + " " + state(sub));
    out.add("euid " + run(l, "Intruder", "euid", intruder, t) + " " + state(t));
    out.add("count " + run(l, "Intruder", "count", intruder) + " " + staticValue(l, "Task", "count"));
    out.add("read " + run(l, "Intruder", "read", intruder, t));
    // TG201/TG202: reflection.
    final Object reflective = newInstance(l, "Reflective");
    out.add("definite " + run(l, "Reflective", "definite", reflective, t) + " " + state(t));
    out.add("byName " + run(l, "Reflective", "byName", reflective, t) + " " + state(t));
    out.add("inherited " + run(l, "Reflective", "inherited", reflective, sub) + " " + state(sub));
    out.add("unknownName " + run(l, "Reflective", "unknownName", reflective, t, "euid") + " " + state(t));
    out.add("unknownName uid " + run(l, "Reflective", "unknownName", reflective, t, "uid") + " " + state(t));
    out.add("otherField " + run(l, "Reflective", "otherField", reflective, t));
    final Field euid = taskClass.getField("euid");
    out.add("anyField " + run(l, "Reflective", "anyField", reflective, euid, t) + " " + state(t));
    out.add("held " + run(l, "Reflective", "held", reflective, t) + " " + state(t));
    out.add("allOfString " + run(l, "Reflective", "allOfString", reflective));
    out.add("accessAll " + run(l, "Reflective", "accessAll", reflective));
    // TG203-TG205: method handles and var handles.
    final Object handles = newInstance(l, "Handles");
    final Object fresh = newTask(l, 0);
    guard(fresh, guard);
    out.add("swap " + run(l, "Handles", "swap", handles, fresh) + " " + state(fresh));
    out.add("swap again " + run(l, "Handles", "swap", handles, fresh) + " " + state(fresh));
    out.add("peek " + run(l, "Handles", "peek", handles, fresh));
    out.add("setEuid " + run(l, "Handles", "setEuid", handles, fresh) + " " + state(fresh));
    final MethodHandle countSetter = (MethodHandle) method(l, "Handles", "countSetter").invoke(handles);
    countSetter.invoke(11);
    out.add("countSetter " + staticValue(l, "Task", "count"));
    out.add("fromField " + (run(l, "Handles", "fromField", handles, euid).startsWith("returned VarHandle")));
    // TG206: field updaters.
    final Object counter = newInstance(l, "Counter");
    guard(counter, guard);
    out.add("hit " + run(l, "Counter", "hit", counter) + " " + run(l, "Counter", "hit", counter) + " "
        + state(counter));
    out.add("label " + run(l, "Counter", "label", counter, "x") + " " + state(counter));
    // TG207/TG208: Unsafe.
    final Object unsafe = newInstance(l, "UnsafeUser");
    out.add("poke " + run(l, "UnsafeUser", "poke", unsafe, t) + " " + state(t));
    // TG209: JNI.
    out.add("poke (native) " + run(l, "NativeHolder", "poke", newInstance(l, "NativeHolder"), t));
    // TG210: serialization.
    final Object account = newInstance(l, "Account");
    guard(account, guard);
    final Field balance = l.loadClass(PKG + "Account").getDeclaredField("balance");
    final Field cache = l.loadClass(PKG + "Account").getDeclaredField("cache");
    balance.setAccessible(true);
    cache.setAccessible(true);
    balance.setInt(account, 5);
    cache.setInt(account, 6);
    final Object copy = roundTrip(account, l);
    out.add("account " + state(account) + " deserialized " + state(copy));
    out.add("point deserialized " + roundTrip(point, l));
    // TG301-TG303: arrays.
    final Object table = newInstance(l, "Table");
    guard(table, guard);
    out.add("new Table() " + state(table));
    final Object holder = newInstance(l, "Table$Holder");
    out.add("share " + run(l, "Table", "share", table, holder) + " " + state(holder));
    final Object[] box = new Object[1];
    out.add("pack " + run(l, "Table", "pack", table, (Object) box) + " " + arrayText(box[0]));
    out.add("leak " + run(l, "Table", "leak", table) + " " + state(table));
    out.add("inner " + run(l, "Table", "inner", table) + " " + state(table));
    out.add("hash " + run(l, "Table", "hash", table));
    final IntSupplier capture = (IntSupplier) method(l, "Table", "capture").invoke(table);
    out.add("capture " + capture.getAsInt() + " " + capture.getAsInt() + " " + state(table));
    final Object outsider = newInstance(l, "Outsider");
    out.add("scribble " + run(l, "Outsider", "scribble", outsider, table) + " " + state(table));
    out.add("copyInto " + run(l, "Outsider", "copyInto", outsider, table, new int[] {7}) + " " + state(table));
    out.add("limits " + run(l, "Outsider", "limits", outsider) + " " + arrayText(staticValue(l, "Limits", "MAX")));
    return out;
  }

  // -----------------------------------------------------------------------------------------------------------------

  private static Object newTask(final ClassLoader l, final int uid) throws Exception {
    return newInstance(l, "Task", uid);
  }

  private static Object newInstance(final ClassLoader l, final String simpleName, final Object... args)
      throws Exception {
    for (final Constructor<?> c : l.loadClass(PKG + simpleName).getDeclaredConstructors()) {
      if (c.getParameterCount() == args.length && (args.length == 0 || !c.getParameterTypes()[0].isPrimitive()
          == !(args[0] instanceof Integer) || c.getParameterTypes()[0] == int.class && args[0] instanceof Integer)) {
        c.setAccessible(true);
        return c.newInstance(args);
      }
    }
    throw new AssertionError("no constructor of " + simpleName + " for " + args.length + " arguments");
  }

  private static Method method(final ClassLoader l, final String simpleName, final String name) throws Exception {
    for (final Method m : l.loadClass(PKG + simpleName).getDeclaredMethods()) {
      if (m.getName().equals(name)) {
        m.setAccessible(true);
        return m;
      }
    }
    throw new AssertionError("no method " + simpleName + "." + name);
  }

  /** Calls a method (static when {@code args} has none or the method is static) and renders its outcome. */
  private static String run(final ClassLoader l, final String simpleName, final String name, final Object... args)
      throws Exception {
    final Method m = method(l, simpleName, name);
    final boolean isStatic = Modifier.isStatic(m.getModifiers());
    final Object receiver = isStatic ? null : args[0];
    final Object[] rest = isStatic ? args : java.util.Arrays.copyOfRange(args, 1, args.length);
    try {
      final Object r = m.invoke(receiver, rest);
      return "returned " + (r == null ? "null" : r.getClass().getSimpleName().startsWith("VarHandle")
          ? "VarHandle" : String.valueOf(r));
    } catch (InvocationTargetException e) {
      return "threw " + e.getCause().getClass().getSimpleName();
    }
  }

  /** The instance fields of {@code o} and its superclasses, synthetic ones left out, by name. */
  private static String state(final Object o) throws IllegalAccessException {
    final StringBuilder b = new StringBuilder("{");
    for (Class<?> c = o.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (final Field f : c.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers()) && !f.isSynthetic()) {
          f.setAccessible(true);
          b.append(f.getName()).append('=').append(arrayText(f.get(o))).append(' ');
        }
      }
    }
    return b.append('}').toString();
  }

  private static Object staticValue(final ClassLoader l, final String simpleName, final String field)
      throws Exception {
    final Field f = l.loadClass(PKG + simpleName).getDeclaredField(field);
    f.setAccessible(true);
    return f.get(null);
  }

  private static int registrySize(final ClassLoader l) throws Exception {
    return ((List<?>) staticValue(l, "Registry", "ALL")).size();
  }

  private static String arrayText(final Object v) {
    if (v == null || !v.getClass().isArray()) {
      return String.valueOf(v);
    }
    final StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < Array.getLength(v); i++) {
      b.append(i == 0 ? "" : ",").append(Array.get(v, i));
    }
    return b.append(']').toString();
  }

  /** Gives {@code o} a QUID (woven: its field; else the side table), so that its guarded writes take the slow path. */
  private static void guard(final Object o, final boolean guard) {
    if (guard) {
      Guards.quidOf(o);
    }
  }

  private static void guardStatic(final ClassLoader l, final String simpleName, final String field)
      throws ClassNotFoundException {
    Guards.register(new Fixtures.Recorder(), null, l.loadClass(PKG + simpleName), field);
  }

  /** Serializes and deserializes {@code o}, resolving classes in {@code l}. */
  private static Object roundTrip(final Object o, final ClassLoader l) throws Exception {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    try (InputStream in = new ByteArrayInputStream(bytes.toByteArray());
        ObjectInputStream objects = new ObjectInputStream(in) {
          @Override
          protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            return Class.forName(desc.getName(), false, l);
          }
        }) {
      return objects.readObject();
    }
  }
}
