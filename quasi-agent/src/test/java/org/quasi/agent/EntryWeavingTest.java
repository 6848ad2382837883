package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.quasi.typeguard.spec.SpecParser;

/** Spec {@code entry} lines woven by {@link WeavingClassLoader} exactly as the agent weaves them. */
class EntryWeavingTest {

  private static final String SPEC = """
      quasi-spec 2
      quasi-invariant org.quasi.agent.fixtures.Meter.scale
      entry org.quasi.agent.fixtures.Meter.measure(I)I keys this after 1
      entry org.quasi.agent.fixtures.Meter.sum(I)I keys this after 1
      entry org.quasi.agent.fixtures.Meter.hardware(I)I keys this
      entry org.quasi.agent.fixtures.Meter.measur(I)I keys this
      """;

  private static WeavingClassLoader loader() throws Exception {
    return new WeavingClassLoader(EntryWeavingTest.class.getClassLoader(),
        GuardSpec.of(SpecParser.parse("m.spec", SPEC)), n -> n.equals("org.quasi.agent.fixtures.Meter"));
  }

  @Test
  void anEntryMethodDispatchesAndItsGuardedWriteIsSeen() throws Exception {
    final WeavingClassLoader loader = loader();
    final Class<?> meter = loader.loadClass("org.quasi.agent.fixtures.Meter");
    final Object m = meter.getConstructor(int.class).newInstance(3);
    final Method measure = meter.getMethod("measure", int.class);
    final Method sum = meter.getMethod("sum", int.class);
    for (int i = 0; i < 5; i++) {
      assertThat(measure.invoke(m, i)).isEqualTo(i * 3 + 1);
      assertThat(sum.invoke(m, i)).isEqualTo(i * 3);
    }
    meter.getMethod("setScale", int.class).invoke(m, 5);
    assertThat(measure.invoke(m, 2)).isEqualTo(11);
    assertThat(sum.invoke(m, 4)).isEqualTo(20);
    final Method generic = meter.getDeclaredMethod("measure$quasi$generic", int.class);
    assertThat(Modifier.isPrivate(generic.getModifiers())).isTrue();
    assertThat(generic.isSynthetic()).isTrue();
    assertThat(Modifier.isPublic(measure.getModifiers())).isTrue();
  }

  @Test
  void aBackgroundEntryLineQueuesItsKeyAndPlugsTheVersionOffTheCallingThread() throws Exception {
    final WeavingClassLoader loader = new WeavingClassLoader(EntryWeavingTest.class.getClassLoader(),
        GuardSpec.of(SpecParser.parse("bg.spec", """
            quasi-spec 2
            quasi-invariant org.quasi.agent.fixtures.Meter.scale
            entry org.quasi.agent.fixtures.Meter.measure(I)I keys this after 1 background
            """)), n -> n.equals("org.quasi.agent.fixtures.Meter"));
    final Class<?> meter = loader.loadClass("org.quasi.agent.fixtures.Meter");
    final Object m = meter.getConstructor(int.class).newInstance(3);
    final Method measure = meter.getMethod("measure", int.class);
    final java.util.function.Supplier<String> line = () -> {
      final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      org.quasi.versions.EntryBootstrap.report(new java.io.PrintStream(out, true,
          java.nio.charset.StandardCharsets.UTF_8));
      return out.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
          .filter(l -> l.contains("entry bg.spec:3 ")).findFirst().orElse("");
    };
    final long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    int i = 0;
    do {
      assertThat(measure.invoke(m, i)).isEqualTo(i * 3 + 1);
      i++;
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // leaves the CPU to the specializer thread
    } while (!line.get().contains("specializations=1") && System.nanoTime() < deadline);
    assertThat(line.get()).contains("queued=1", "specializations=1", "rejected=0");
    meter.getMethod("setScale", int.class).invoke(m, 5);
    assertThat(measure.invoke(m, 2)).isEqualTo(11);
  }

  @Test
  void entriesThatCannotBeWovenAreListedWithWhy() throws Exception {
    final WeavingClassLoader loader = loader();
    loader.loadClass("org.quasi.agent.fixtures.Meter");
    final Weaver.Result r = loader.results().get(0);
    assertThat(r.entryPoints()).containsExactly("m.spec:3", "m.spec:4");
    assertThat(r.problems()).containsExactly(
        "entry m.spec:5 org.quasi.agent.fixtures.Meter.hardware(I)I: the method has no body (abstract or native)",
        "entry m.spec:6 org.quasi.agent.fixtures.Meter.measur(I)I: no such method; nearest: measure(I)I, "
            + "sum(I)I, hardware(I)I");
  }
}
