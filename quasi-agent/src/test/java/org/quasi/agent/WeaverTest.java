package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Guards;
import org.quasi.runtime.QuidHolder;
import org.quasi.runtime.Replugger;
import org.quasi.runtime.SimpleReplugger;
import org.quasi.runtime.Version;

/** Woven fixtures behave as the originals, and their guarded writes invalidate what relies on the written field. */
public class WeaverTest {

  @Test
  void wovenFixturesBehaveAsTheOriginals() throws Exception {
    final WeavingClassLoader woven = woven();
    final Object expected = original().loadClass("org.quasi.agent.fixtures.Scenario")
        .getMethod("run").invoke(null);
    final Object actual = woven.loadClass("org.quasi.agent.fixtures.Scenario").getMethod("run").invoke(null);
    assertThat(actual).isEqualTo(expected);
    assertThat(woven.results()).anySatisfy(r -> assertThat(r.className()).endsWith(".Rule"));
  }

  @Test
  void theTopClassGetsTheQuidAndEverySiteIsCounted() throws Exception {
    final WeavingClassLoader woven = woven();
    final Class<?> rule = woven.loadClass("org.quasi.agent.fixtures.Rule");
    final Class<?> sub = woven.loadClass("org.quasi.agent.fixtures.SubRule");
    woven.loadClass("org.quasi.agent.fixtures.Scenario");
    assertThat(QuidHolder.class.isAssignableFrom(rule)).isTrue();
    assertThat(declaresField(sub, "$quasi$quid")).as("SubRule reuses Rule's QUID").isFalse();
    assertThat(declaresField(rule, "$quasi$flag$limit")).isTrue();
    final Weaver.Result r = resultOf(woven, "Rule");
    // port: constructor, setPort, addToPort, copyTo, countDown, parse x2; budget: constructor, copyTo, spend;
    // limit: <clinit>, bump, resetLimit.
    assertThat(r.guardedWrites()).isEqualTo(13);
    assertThat(r.quidAdded()).isTrue();
    assertThat(r.staticFlags()).containsExactly("limit");
    // SubRule: the constructor's level, retune's port and level; Inner's this$0 is not a quasi-invariant.
    assertThat(resultOf(woven, "SubRule").guardedWrites()).isEqualTo(3);
    assertThat(resultOf(woven, "Scenario").changed()).isFalse();
  }

  @Test
  void aGuardedWriteInvalidatesTheDependentsOfThatField() throws Exception {
    final WeavingClassLoader woven = woven();
    final Class<?> ruleClass = woven.loadClass("org.quasi.agent.fixtures.Rule");
    final Object rule = ruleClass.getConstructor(int.class).newInstance(80);
    final Fixtures.Recorder onPort = new Fixtures.Recorder();
    final Fixtures.Recorder onBudget = new Fixtures.Recorder();
    Guards.register(onPort, rule, ruleClass, "port");
    Guards.register(onBudget, rule, ruleClass, "budget");
    assertThat(((QuidHolder) rule).$quasi$quid()).isNotNull();

    ruleClass.getMethod("setPort", int.class).invoke(rule, 81);

    assertThat(ruleClass.getField("port").getInt(rule)).isEqualTo(81);
    assertThat(onPort.causes).containsExactly(new GuardedLocation(rule, ruleClass, "port"));
    assertThat(onBudget.isValid()).isTrue();
    ruleClass.getMethod("spend", long.class).invoke(rule, 5L);
    assertThat(onBudget.isValid()).isFalse();
    assertThat(ruleClass.getField("budget").getLong(rule)).isEqualTo(795L);
  }

  @Test
  void aWriteThroughTheSubclassFiresTheGuardOfTheDeclaringClass() throws Exception {
    final WeavingClassLoader woven = woven();
    final Class<?> ruleClass = woven.loadClass("org.quasi.agent.fixtures.Rule");
    final Class<?> subClass = woven.loadClass("org.quasi.agent.fixtures.SubRule");
    final Object sub = subClass.getConstructor(int.class, int.class).newInstance(1, 2);
    final Fixtures.Recorder onPort = new Fixtures.Recorder();
    final Fixtures.Recorder onLevel = new Fixtures.Recorder();
    Guards.register(onPort, sub, ruleClass, "port");
    Guards.register(onLevel, sub, subClass, "level");
    subClass.getMethod("retune", int.class, int.class).invoke(sub, 3, 4);
    assertThat(onPort.isValid()).isFalse();
    assertThat(onLevel.isValid()).isFalse();
  }

  @Test
  void aStaticGuardedWriteReplugsTheFallback() throws Exception {
    final WeavingClassLoader woven = woven();
    final Class<?> ruleClass = woven.loadClass("org.quasi.agent.fixtures.Rule");
    final Field limit = ruleClass.getField("limit");
    final IntSupplier generic = () -> {
      try {
        return limit.getInt(null);
      } catch (IllegalAccessException e) {
        throw new AssertionError(e);
      }
    };
    final int seen = generic.getAsInt();
    final IntSupplier specialized = () -> seen;
    final SimpleReplugger<IntSupplier> r = Replugger.simple(IntSupplier.class, generic);
    final Version<IntSupplier> v = Version.of(r, specialized, generic, "limit " + seen);
    v.dependOn(null, ruleClass, "limit");
    assertThat(v.plug(() -> generic.getAsInt() == seen)).isTrue();
    assertThat(r.target()).isSameAs(specialized);

    ruleClass.getMethod("bump").invoke(null);

    assertThat(r.target()).isSameAs(generic);
    assertThat(r.invoker().getAsInt()).isEqualTo(seen + 1);
    assertThat(v.invalidatedBy()).isEqualTo(new GuardedLocation(null, ruleClass, "limit"));
  }

  @Test
  void aheadOfTimeWeavingWritesARunnableDirectory(@TempDir final Path out) throws Exception {
    final Path classes = Path.of(WeaverTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    final AheadOfTimeWeaver.Report report = AheadOfTimeWeaver.weave(List.of(classes),
        new GuardSpec(java.util.Set.of("org/quasi/agent/fixtures/Rule.budget", "org/quasi/agent/fixtures/Gone.x")),
        out);
    assertThat(report.quidHolders()).containsExactlyInAnyOrder("org.quasi.agent.fixtures.Rule",
        "org.quasi.agent.fixtures.Frame", "org.quasi.agent.fixtures.LegacyChild", "org.quasi.agent.fixtures.Secret");
    // Rule 13, SubRule 3, Frame 14 (the spec adds nothing to Legacy, whose fields are not quasi-invariant here).
    assertThat(report.guardedWrites()).isEqualTo(30);
    assertThat(report.unresolvedSpecEntries()).singleElement().asString()
        .startsWith("org.quasi.agent.fixtures.Gone.x (class not found; nearest: org.quasi.agent.fixtures.");
    assertThat(Files.exists(out.resolve("org/quasi/agent/fixtures/Scenario.class"))).isTrue();

    final WeavingClassLoader fromOut =
        new WeavingClassLoader(WeaverTest.class.getClassLoader(), ClassBytes.of(List.of(out)), null, FIXTURES);
    final Object actual = fromOut.loadClass("org.quasi.agent.fixtures.Scenario").getMethod("run").invoke(null);
    final Object expected = original().loadClass("org.quasi.agent.fixtures.Scenario")
        .getMethod("run").invoke(null);
    assertThat(actual).isEqualTo(expected);
    assertThat(QuidHolder.class.isAssignableFrom(fromOut.loadClass("org.quasi.agent.fixtures.Rule"))).isTrue();
  }

  @Test
  void aMisspeltSpecFieldIsNamedWithTheNearestFields() {
    final ClassBytes own = ClassBytes.of(WeaverTest.class.getClassLoader());
    final Weaver w = new Weaver(new GuardSpec(java.util.Set.of("org/quasi/agent/fixtures/SubRule.prot")), own);
    assertThat(w.unresolvedSpecEntries())
        .containsExactly("org.quasi.agent.fixtures.SubRule.prot (no such field; nearest: port, hits, limit)");
  }

  @Test
  void weavingIsIdempotent() {
    final ClassBytes own = ClassBytes.of(WeaverTest.class.getClassLoader());
    final Weaver w = new Weaver(GuardSpec.annotationsOnly(), own);
    final Weaver.Result once = w.weave(own.find("org/quasi/agent/fixtures/Rule"));
    assertThat(once.changed()).isTrue();
    final Weaver.Result twice = w.weave(once.bytes());
    assertThat(twice.changed()).isFalse();
  }

  @Test
  void aMissingClassPathEntryIsNamed() {
    assertThatThrownBy(() -> AheadOfTimeWeaver.weave(List.of(Path.of("no/such/dir")), GuardSpec.annotationsOnly(),
        Path.of("target/unused"))).isInstanceOf(ClassPathException.class).hasMessageContaining("no/such/dir");
  }

  @Test
  void aClassPathEntryThatIsNotAJarIsTheInputsFault(@TempDir final Path dir) throws Exception {
    final Path text = Files.writeString(dir.resolve("notes.txt"), "not a jar");
    assertThatThrownBy(() -> AheadOfTimeWeaver.weave(List.of(text), GuardSpec.annotationsOnly(), dir.resolve("out")))
        .isInstanceOf(ClassPathException.class)
        .hasMessageStartingWith("class path entry " + text + " is neither a directory nor a jar");
  }

  @Test
  void garbageIsNotAClassFile() {
    final Weaver w = new Weaver(GuardSpec.annotationsOnly(), name -> null);
    assertThatThrownBy(() -> w.weave(new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a readable class file");
  }

  /**
   * A readable class the weaver cannot weave is the weaver's failure, not the input's: 13,000 {@code putstatic}s to a
   * quasi-invariant (52 KB of code) grow past the class-file format's 64 KB limit once guarded.
   */
  @Test
  void aReadableClassTheWeaverFailsOnIsItsOwnFault(@TempDir final Path dir) throws Exception {
    final Path spec = Files.writeString(dir.resolve("big.spec"), "quasi-spec 1\nquasi-invariant demo.Big.level\n");
    final Weaver w = new Weaver(GuardSpec.read(spec), name -> null);
    assertThatThrownBy(() -> w.weave(bigStaticWriter("demo/Big", 13_000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("demo/Big: cannot weave: org.objectweb.asm.MethodTooLargeException")
        .hasCauseInstanceOf(org.objectweb.asm.MethodTooLargeException.class);
  }

  /**
   * {@code class Big { static int level; static void fill() { level = 1; ... } }}, {@code writes} times: 13,000 writes
   * are 52 KB of code, past 64 KB once guarded. Public for the agent's transformer test.
   */
  public static byte[] bigStaticWriter(final String name, final int writes) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    addStaticWriter(cw, name, writes);
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Adds {@code public static int level} and {@code static void fill()} writing it {@code writes} times. */
  static void addStaticWriter(final ClassWriter cw, final String name, final int writes) {
    cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "level", "I", null, null).visitEnd();
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "fill", "()V", null, null);
    mv.visitCode();
    for (int i = 0; i < writes; i++) {
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitFieldInsn(Opcodes.PUTSTATIC, name, "level", "I");
    }
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
  }

  private static boolean declaresField(final Class<?> c, final String name) {
    for (final Field f : c.getDeclaredFields()) {
      if (f.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static Weaver.Result resultOf(final WeavingClassLoader loader, final String simpleName) {
    return loader.results().stream().filter(r -> r.className().endsWith("." + simpleName)).findFirst().orElseThrow();
  }

  /** The fixtures' package: what the loaders below define themselves (child first). */
  private static final java.util.function.Predicate<String> FIXTURES = n -> n.startsWith("org.quasi.agent.fixtures.");

  /** The fixtures as compiled, woven with the annotations and {@code Rule.budget} from the spec. */
  private static WeavingClassLoader woven() {
    return new WeavingClassLoader(WeaverTest.class.getClassLoader(),
        new GuardSpec(java.util.Set.of("org/quasi/agent/fixtures/Rule.budget")), FIXTURES);
  }

  /** The fixtures as compiled, in a loader of their own. */
  private static WeavingClassLoader original() {
    return new WeavingClassLoader(WeaverTest.class.getClassLoader(), null, FIXTURES);
  }
}
