package org.quasi.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.quasi.agent.ClassBytes;
import org.quasi.agent.GuardSpec;
import org.quasi.runtime.Guards;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.Version;

/** The agent's transformer: what it weaves, what it skips, and how it reports a class it cannot weave. */
class LoadTimeWeavingTest {

  private final ClassLoader loader = LoadTimeWeavingTest.class.getClassLoader();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final LoadTimeWeaving weaving = new LoadTimeWeaving(GuardSpec.annotationsOnly(),
      new PrintStream(log, true, StandardCharsets.UTF_8));

  @Test
  void applicationClassesWithGuardedWritesAreWoven() {
    assertThat(transform("org/quasi/agent/fixtures/Rule")).isNotNull();
    assertThat(transform("org/quasi/agent/fixtures/Scenario")).as("nothing to weave").isNull();
  }

  @Test
  void quasiAndJdkClassesAreSkipped() {
    assertThat(transform("org/quasi/agent/Weaver")).isNull();
    assertThat(weaving.transform(null, "java/lang/String", null, null, new byte[0])).isNull();
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aClassThatCannotBeWovenIsLeftAsItIsAndNamed() {
    assertThat(weaving.transform(loader, "com/x/Broken", null, null, new byte[] {1, 2})).isNull();
    assertThat(log.toString(StandardCharsets.UTF_8)).startsWith("quasi-agent: left com.x.Broken unwoven:");
  }

  /**
   * A class the agent cannot weave (13,000 {@code putstatic}s to a quasi-invariant grow past 64 KB once guarded) is
   * defined unwoven, so its writes bypass the guards: a version already relying on the field is unplugged before the
   * class is defined, and the version manager is told not to rely on it again.
   */
  @Test
  void theFieldsAClassLeftUnwovenWritesAreNoLongerReliedOn() throws Exception {
    final byte[] big = org.quasi.agent.WeaverTest.bigStaticWriter("demo/Unwovable", 13_000);
    final Class<?> defined = define("demo.Unwovable", big);
    final Version<IntSupplier> v = pluggedOnLevel(defined);
    final LoadTimeWeaving guarding = guarding("demo/Unwovable.level");

    assertThat(guarding.transform(loader, "demo/Unwovable", null, null, big)).isNull();

    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("quasi-agent: left demo.Unwovable unwoven: java.lang.IllegalStateException: demo/Unwovable:"
            + " cannot weave: org.objectweb.asm.MethodTooLargeException")
        .contains("quasi-agent: demo.Unwovable writes demo.Unwovable.level without a guard: no version relies on it"
            + " from now on");
    assertThat(v.isValid()).isFalse();
    assertThat(Guards.unguardedWriter(defined, "level"))
        .startsWith("demo.Unwovable writes it and could not be woven (java.lang.IllegalStateException")
        .contains("MethodTooLargeException");
  }

  /**
   * A class file ASM cannot read (here, of a class-file version it does not know) is defined unwoven: the fields its
   * constant pool refers to are found all the same, and the version relying on one is unplugged.
   */
  @Test
  void aClassAsmCannotReadHasItsFieldsMarkedFromItsConstantPool() {
    final byte[] readable = org.quasi.agent.WeaverTest.bigStaticWriter("demo/Newer", 1);
    final Version<IntSupplier> v = pluggedOnLevel(define("demo.Newer", readable));
    final byte[] newer = readable.clone();
    newer[6] = 0;
    newer[7] = 99; // major version 99
    final LoadTimeWeaving guarding = guarding("demo/Newer.level");

    assertThat(guarding.transform(loader, "demo/Newer", null, null, newer)).isNull();

    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("quasi-agent: demo.Newer writes demo.Newer.level without a guard");
    assertThat(v.isValid()).isFalse();
    assertThat(Guards.unguardedWriter(v.invalidatedBy().owner(), "level"))
        .startsWith("demo.Newer writes it and could not be woven");
  }

  /** Defines {@code classFile} as it is, in a loader of its own. */
  private Class<?> define(final String name, final byte[] classFile) {
    return new ClassLoader(loader) {
      Class<?> define() {
        return defineClass(name, classFile, 0, classFile.length);
      }
    }.define();
  }

  /** A plugged version relying on {@code owner}'s static field {@code level}. */
  private static Version<IntSupplier> pluggedOnLevel(final Class<?> owner) {
    final IntSupplier generic = () -> -1;
    final Version<IntSupplier> v = Version.of(Replugger.simple(IntSupplier.class, generic), () -> 0, generic,
        "level 0");
    v.dependOn(null, owner, "level");
    assertThat(v.plug(() -> true)).isTrue();
    return v;
  }

  /** A transformer weaving with the spec {@code entry}, logging into {@link #log}. */
  private LoadTimeWeaving guarding(final String entry) {
    return new LoadTimeWeaving(new GuardSpec(java.util.Set.of(entry)), new PrintStream(log, true,
        StandardCharsets.UTF_8));
  }

  private byte[] transform(final String name) {
    return weaving.transform(loader, name, null, null, ClassBytes.of(loader).find(name));
  }
}
