package org.quasi.memguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.quasi.memguard.internal.Traps;

/**
 * The fixture ({@code memguardfixture.Writers}) writes protected fields through every path the agent traps; each
 * write must be reported by {@link Mechanism#AGENT_TRAP} with its kind, values and the writing line, and the same
 * writes to an unprotected object of the same class must not be.
 */
class AgentTrapsTest {

  private static final TrappingClassLoader LOADER = new TrappingClassLoader(AgentTrapsTest.class.getClassLoader(),
      name -> name.startsWith("memguardfixture."), null);
  private MemGuardLog log;

  @BeforeEach
  void freshLog() {
    log = new MemGuardLog();
    Traps.useLog(log);
    MemGuard.enable();
  }

  @AfterEach
  void off() {
    MemGuard.disable();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "plain,             limit,   putfield,                        10, 42",
      "reflection,        limit,   Field.setInt,                    10, 42",
      "handle,            limit,   MethodHandle setter,             10, 42",
      "unreflectedHandle, limit,   MethodHandle setter,             10, 42",
      "varHandle,         limit,   VarHandle.set,                   10, 42",
      "varHandleCas,      limit,   VarHandle.compareAndSet,         10, 42",
      "updater,           counter, AtomicIntegerFieldUpdater.set,   0,  42",
      "unsafe,            limit,   Unsafe.putInt,                   10, 42",
  })
  void everyPathToAProtectedInstanceFieldIsReportedWithItsLine(final String path, final String field,
      final String how, final String old, final String value) throws Exception {
    final Object config = newConfig();
    final Object other = newConfig();
    MemGuard.protect(config, field);

    write(path, config, 42);
    write(path, other, 42);

    assertThat(log.writes()).hasSize(1);
    final UnguardedWrite w = log.writes().get(0);
    assertThat(w.mechanism()).isEqualTo(Mechanism.AGENT_TRAP);
    assertThat(w.how()).isEqualTo(how);
    assertThat(w.owner() + "." + w.field()).isEqualTo("memguardfixture.Config." + field);
    assertThat(w.object()).isEqualTo(Traps.describe(config));
    assertThat(w.oldValue() + " -> " + w.newValue()).isEqualTo(old + " -> " + value);
    assertThat(w.thread()).isEqualTo(Thread.currentThread().getName());
    assertThat(w.site()).isEqualTo("memguardfixture.Writers." + path + "(Writers.java:" + line(path) + ")");
    assertThat(field(config, field)).isEqualTo(42);
    assertThat(field(other, field)).isEqualTo(42);
  }

  @Test
  void referenceUpdaterReportsTheObjectsWithoutCallingTheirCode() throws Exception {
    final Object config = newConfig();
    MemGuard.protect(config, "name");

    invoke("referenceUpdater", config, "b");

    assertThat(log.writes()).singleElement().satisfies(w -> {
      assertThat(w.how()).isEqualTo("AtomicReferenceFieldUpdater.getAndSet");
      assertThat(w.oldValue() + " -> " + w.newValue()).isEqualTo("a -> b");
      assertThat(w.site()).endsWith("(Writers.java:" + line("referenceUpdater") + ")");
    });
  }

  @Test
  void staticFieldsAreReportedByPutstaticAndReflection() throws Exception {
    final Class<?> config = LOADER.loadClass("memguardfixture.Config");
    MemGuard.protect(config, "defaultLimit");
    final String before = String.valueOf(config.getField("defaultLimit").get(null));
    try {
      invoke("plainStatic", 11);
      invoke("reflectionStatic", 12);
    } finally {
      MemGuard.release(config, "defaultLimit");
    }
    invoke("plainStatic", 13);

    assertThat(log.writes()).extracting(UnguardedWrite::how, UnguardedWrite::object, UnguardedWrite::oldValue,
        UnguardedWrite::newValue, UnguardedWrite::site).containsExactly(
        org.assertj.core.groups.Tuple.tuple("putstatic", "static", before, "11",
            "memguardfixture.Writers.plainStatic(Writers.java:" + line("plainStatic") + ")"),
        org.assertj.core.groups.Tuple.tuple("Field.set", "static", "11", "12",
            "memguardfixture.Writers.reflectionStatic(Writers.java:" + line("reflectionStatic") + ")"));
  }

  @Test
  void arrayElementsAreReportedByVarHandleAndUnsafeOnlyAtTheProtectedIndex() throws Exception {
    final int[] ints = new int[4];
    final long[] longs = new long[4];
    MemGuard.protect(ints, 2);
    MemGuard.protect(longs, 1);

    invoke("arrayElementVarHandle", ints, 1, 5);
    invoke("arrayElementVarHandle", ints, 2, 6);
    invoke("unsafeArray", longs, 0, 7L);
    invoke("unsafeArray", longs, 1, 8L);

    assertThat(log.writes()).extracting(UnguardedWrite::how, UnguardedWrite::field, UnguardedWrite::newValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("VarHandle.setVolatile", "[2]", "6"),
            org.assertj.core.groups.Tuple.tuple("Unsafe.putLongVolatile", "[1]", "8"));
    assertThat(log.writes().get(1).site()).endsWith("(Writers.java:" + line("unsafeArray") + ")");
    assertThat(ints).containsExactly(0, 5, 6, 0);
    assertThat(longs).containsExactly(7L, 8L, 0L, 0L);
  }

  @Test
  void arrayStoresInBytecodeAndThroughArraySetAreReported() throws Exception {
    final int[] ints = new int[3];
    final String[] strings = {"x", "y"};
    final long[] longs = new long[2];
    MemGuard.protect(ints, 0);
    MemGuard.protect(strings, 1);
    MemGuard.protect(longs, 1);

    invoke("arrayStore", ints, 0, 9);
    invoke("arrayStore", ints, 1, 9);
    invoke("referenceArrayStore", strings, 1, "z");
    invoke("reflectiveArraySet", longs, 1, 3L);

    assertThat(log.writes()).extracting(UnguardedWrite::how, UnguardedWrite::owner, UnguardedWrite::field,
        UnguardedWrite::oldValue, UnguardedWrite::newValue, UnguardedWrite::site).containsExactly(
        org.assertj.core.groups.Tuple.tuple("iastore", "[I", "[0]", "0", "9",
            "memguardfixture.Writers.arrayStore(Writers.java:" + line("arrayStore") + ")"),
        org.assertj.core.groups.Tuple.tuple("aastore", "[Ljava.lang.String;", "[1]", "y", "z",
            "memguardfixture.Writers.referenceArrayStore(Writers.java:" + line("referenceArrayStore") + ")"),
        org.assertj.core.groups.Tuple.tuple("Array.setLong", "[J", "[1]", "0", "3",
            "memguardfixture.Writers.reflectiveArraySet(Writers.java:" + line("reflectiveArraySet") + ")"));
    assertThat(ints).containsExactly(9, 9, 0);
    assertThatThrownBy(() -> invoke("referenceArrayStore", strings, 0, 1))
        .as("the store keeps its own type check").isInstanceOf(ArrayStoreException.class);
  }

  @Test
  void byteAndBooleanStoresAndArrayElementSetterHandlesAreReported() throws Exception {
    final byte[] bytes = new byte[2];
    final boolean[] flags = new boolean[2];
    final double[] doubles = new double[2];
    MemGuard.protect(bytes, 1);
    MemGuard.protect(flags, 1);
    MemGuard.protect(doubles, 0);

    invoke("byteAndBooleanStores", bytes, flags);
    invoke("arrayElementSetter", doubles, 0, 2.5);
    invoke("arrayElementSetter", doubles, 1, 3.5);

    assertThat(log.writes()).extracting(UnguardedWrite::how, UnguardedWrite::newValue, UnguardedWrite::site)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bastore", "44",
                "memguardfixture.Writers.byteAndBooleanStores(Writers.java:" + line("byteStore") + ")"),
            org.assertj.core.groups.Tuple.tuple("bastore", "1",
                "memguardfixture.Writers.byteAndBooleanStores(Writers.java:" + line("booleanStore") + ")"),
            org.assertj.core.groups.Tuple.tuple("MethodHandle array element setter", "2.5",
                "memguardfixture.Writers.arrayElementSetter(Writers.java:" + line("arrayElementSetter") + ")"));
    assertThat(bytes[1]).isEqualTo((byte) 44);
    assertThat(flags[1]).isTrue();
    assertThat(doubles).containsExactly(2.5, 3.5);
  }

  @Test
  void releasedAndDisabledProtectionsAreSilent() throws Exception {
    final Object config = newConfig();
    MemGuard.protect(config, "limit");
    MemGuard.disable();
    write("plain", config, 1);
    MemGuard.enable();
    assertThat(MemGuard.release(config, "limit")).isTrue();
    write("reflection", config, 2);

    assertThat(log.count()).isZero();
    assertThat(field(config, "limit")).isEqualTo(2);
  }

  @Test
  void theSanctionedWriteIsNotReported() throws Exception {
    final Object config = newConfig();
    MemGuard.protect(config, "limit");

    MemGuard.write(java.lang.invoke.MethodHandles.privateLookupIn(config.getClass(),
        java.lang.invoke.MethodHandles.lookup()), config, "limit", 77);

    assertThat(log.count()).isZero();
    assertThat(field(config, "limit")).isEqualTo(77);
  }

  // -----------------------------------------------------------------------------------------------------------------

  static Object newConfig() throws ReflectiveOperationException {
    return LOADER.loadClass("memguardfixture.Config").getConstructor().newInstance();
  }

  private static void write(final String path, final Object config, final int value) throws Exception {
    invoke(path, config, value);
  }

  static Object invoke(final String name, final Object... args) throws Exception {
    final Class<?> writers = LOADER.loadClass("memguardfixture.Writers");
    for (final Method m : writers.getMethods()) {
      if (m.getName().equals(name)) {
        try {
          return m.invoke(null, args);
        } catch (InvocationTargetException e) {
          if (e.getCause() instanceof Exception cause) {
            throw cause;
          }
          throw e;
        }
      }
    }
    throw new IllegalArgumentException("no fixture writer " + name);
  }

  private static Object field(final Object config, final String name) throws ReflectiveOperationException {
    return config.getClass().getField(name).get(config);
  }

  /** The line of {@code // site: NAME} in the fixture's source. */
  static int line(final String site) throws IOException {
    final List<String> lines = Files.readAllLines(Path.of("src/test/java/memguardfixture/Writers.java"));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith("// site: " + site)) {
        return i + 1;
      }
    }
    throw new IllegalArgumentException("no '// site: " + site + "' in the fixture");
  }
}
