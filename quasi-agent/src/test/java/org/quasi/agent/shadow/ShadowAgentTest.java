package org.quasi.agent.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.quasi.agent.shadow.internal.ShadowRun;
import org.quasi.agent.shadow.internal.ShadowTransformer;
import org.quasi.specializer.internal.LongMethods;

/**
 * Shadow mode in-process: the fixture class is probed by the agent's transformer and loaded by a child-first loader;
 * every call of a probed method is sampled (1/1); results stay those of the original and every comparison agrees.
 */
class ShadowAgentTest {
  private static final String EFFECTS = "org.quasi.agent.shadow.fixtures.Effects";
  private static final String PLAIN = "org.quasi.agent.shadow.fixtures.Plain";
  /** The validator's sample of a slow {@code toString}, probed here as a program's class. */
  private static final String SLOW_TEXT = "org.quasi.specializer.validate.sample.SlowText";

  private ShadowRun run;

  @AfterEach
  void uninstall() {
    ShadowHook.install(null);
    if (run != null) {
      run.close();
    }
  }

  @Test
  void sampledInvocationsAgreeAndTheProgramSeesTheOriginalResults() throws Throwable {
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    run = new ShadowRun(new ShadowOptions(1, 7, Pattern.compile("fixtures\\.Effects$"), 4, null, null));
    ShadowHook.install(run);
    final Class<?> c = new ProbingLoader(new ShadowTransformer(run, new PrintStream(log, true,
        StandardCharsets.UTF_8))).loadClass(EFFECTS);
    final Object e = c.getConstructor(int.class).newInstance(10);
    for (int i = 0; i < 3; i++) {
      assertThat(call(c, null, "add", i, 5)).isEqualTo(i + 5);
      assertThat(call(c, e, "plusBase", i)).isEqualTo(i + 10);
      assertThat((int[]) call(c, null, "filled", 3, i)).containsExactly(i, i, i);
      assertThat(call(c, null, "joined", "ab", i)).isEqualTo("ab-".repeat(i));
      assertThat((int[]) call(c, null, "copyPlusOne", new int[] {i, 2})).containsExactly(i + 1, 3);
      assertThat(call(c, null, "factorial", i + 3)).isEqualTo(i == 0 ? 6 : i == 1 ? 24 : 120);
      assertThat(call(c, null, "sumOf", 1L, 2.5, new int[] {i, i})).isEqualTo(3L + 2 * i);
      assertThat(call(c, e, "hit")).isEqualTo(i + 1);
      final int divisor = i;
      assertThatThrownBy(() -> call(c, null, "quotient", 1, divisor - divisor)).isInstanceOf(ArithmeticException.class);
    }
    final ShadowReport r = run.report(true);
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(r.methodsShadowed()).as(r.text()).isGreaterThanOrEqualTo(10);
    assertThat(r.screenedOutExamples().values()).as(r.text()).anySatisfy(s -> assertThat(s).contains("Effects.hit"));
    assertThat(r.sampled()).as(r.text()).isGreaterThanOrEqualTo(24);
    assertThat(r.specialized()).as(r.text()).isGreaterThanOrEqualTo(24);
    assertThat(r.agreed()).as(r.text()).isEqualTo(r.specialized());
    assertThat(r.divergences()).as(r.text()).isEmpty();
    assertThat(r.crashes()).as(r.text()).isEmpty();
    assertThat(r.json()).contains("\"diverged\": 0", "\"crashed\": 0");
  }

  /**
   * Describing a sampled call's arguments runs the program's {@code toString}: it runs on the shadow's worker within
   * the time limit, and the program's call waits no longer than that (the validator met a {@code toString} of
   * minutes).
   */
  @Test
  void aSlowDescriptionCostsTheProgramNoMoreThanTheTimeLimit() throws Throwable {
    run = new ShadowRun(new ShadowOptions(1, 1, Pattern.compile("validate\\.sample\\.SlowText$"), 1, null, null));
    ShadowHook.install(run);
    final Class<?> c = new ProbingLoader(new ShadowTransformer(run, System.err), false).loadClass(SLOW_TEXT);
    final Object slow = c.getClassLoader().loadClass(c.getName() + "$Slow").getConstructor(int.class).newInstance(3);
    final long start = System.nanoTime();
    assertThat(call(c, null, "twice", slow)).isEqualTo(6);
    assertThat(System.nanoTime() - start).as("no description ran to its end on the program's thread")
        .isLessThan(org.quasi.specializer.validate.sample.SlowText.NANOS);
    final ShadowReport r = run.report(true);
    assertThat(r.sampled()).as(r.text()).isEqualTo(1);
    assertThat(r.skipped()).as(r.text())
        .containsEntry("describing the arguments did not finish within the time limit", 1);
    assertThat(r.divergences()).as(r.text()).isEmpty();
  }

  @Test
  void aMethodsProbeIsANoOpOnceItWasShadowedAsOftenAsAllowed() throws Throwable {
    run = new ShadowRun(new ShadowOptions(1, 1, Pattern.compile("fixtures\\.Effects$"), 2, null, null));
    ShadowHook.install(run);
    final Class<?> c = new ProbingLoader(new ShadowTransformer(run, System.err), false).loadClass(EFFECTS);
    for (int i = 0; i < 10; i++) {
      assertThat(call(c, null, "add", i, i)).isEqualTo(2 * i);
    }
    final ShadowReport r = run.report(true);
    assertThat(r.sampled()).as(r.text()).isEqualTo(2);
    assertThat(r.agreed()).as(r.text()).isEqualTo(2);
    // Counted: the program's first call, the shadow's two runs of the original for it, the program's second call.
    // The second sample made the probe a no-op: neither its runs nor the eight calls after it reach the counter.
    assertThat(r.invocations()).isEqualTo(4);
  }

  @Test
  void aJava6ClassFilesProbeCountsEveryInvocation() throws Throwable {
    run = new ShadowRun(new ShadowOptions(1, 1, Pattern.compile("fixtures\\.Plain$"), 2, null, null));
    ShadowHook.install(run);
    final Class<?> c = new ProbingLoader(new ShadowTransformer(run, System.err), true).loadClass(PLAIN);
    for (int i = 0; i < 10; i++) {
      assertThat(call(c, null, "add", i, i)).isEqualTo(2 * i);
    }
    final ShadowReport r = run.report(true);
    assertThat(r.sampled()).as(r.text()).isEqualTo(2);
    assertThat(r.agreed()).as(r.text()).isEqualTo(2);
    // The static probe has no call site to turn off: the program's ten calls, and the shadow's two runs of the
    // original for each of the two sampled ones.
    assertThat(r.invocations()).isEqualTo(10 + 2 * 2);
  }

  /**
   * A method free of heap writes past 32 KB, with a jump beyond 32 KB and a backward one of nearly 32 KB across a
   * switch, is probed and behaves as written: the probe goes before its first instruction, so no jump's distance
   * changes, and ASM writes back the class it read (unlike MemGuard's traps and the agent's guarded writes, which
   * lengthen code between a jump and its target and need {@code WideJumps}).
   */
  @Test
  void aLongMethodIsProbedAndRunsAsWritten() throws Throwable {
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    run = new ShadowRun(new ShadowOptions(1, 7, Pattern.compile("^demo\\.LongPure"), 1, null, null));
    ShadowHook.install(run);
    final ShadowTransformer transformer = new ShadowTransformer(run, new PrintStream(log, true,
        StandardCharsets.UTF_8));
    for (int fill = 32_700; fill <= 32_760; fill += 3) {
      final String name = "demo/LongPure" + fill;
      final GeneratedClassLoader loader = new GeneratedClassLoader(name,
          LongMethods.write(LongMethods.loop(name, "(I)I", true, false, LongMethods.nops(fill))));
      final byte[] probed = transformer.transform(loader, name, null, null, loader.original);
      assertThat(probed).as("fill %d: %s %s", fill, log, run.report(true).text()).isNotNull();
      final Class<?> c = loader.define(probed);
      assertThat(call(c, null, "f", 0)).as("fill %d, the forward jump", fill).isEqualTo(-1);
      assertThat(call(c, null, "f", 5)).as("fill %d, the backward jump", fill).isEqualTo(2);
    }
    final ShadowReport r = run.report(true);
    assertThat(log.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(r.sampled()).as(r.text()).isPositive();
    assertThat(r.divergences()).as(r.text()).isEmpty();
    assertThat(r.crashes()).as(r.text()).isEmpty();
  }

  private static Object call(final Class<?> c, final Object receiver, final String name, final Object... args)
      throws Throwable {
    for (final Method m : c.getMethods()) {
      if (m.getName().equals(name)) {
        try {
          return m.invoke(receiver, args);
        } catch (InvocationTargetException e) {
          throw e.getCause();
        }
      }
    }
    throw new NoSuchMethodException(name);
  }

  /** Serves one generated class file, as the screen reads class files, and defines the class from other bytes. */
  private static final class GeneratedClassLoader extends ClassLoader {
    private final String name;
    final byte[] original;

    GeneratedClassLoader(final String name, final byte[] original) {
      super(ShadowAgentTest.class.getClassLoader());
      this.name = name;
      this.original = original;
    }

    @Override
    public InputStream getResourceAsStream(final String resource) {
      return resource.equals(name + ".class") ? new ByteArrayInputStream(original)
          : super.getResourceAsStream(resource);
    }

    Class<?> define(final byte[] classFile) {
      return defineClass(name.replace('/', '.'), classFile, 0, classFile.length);
    }
  }

  /**
   * Loads the fixtures package child-first, through the transformer; everything else from the parent. With
   * {@code java6}, each fixture's class file is first rewritten as a Java 6 one (version 50).
   */
  private static final class ProbingLoader extends ClassLoader {
    private final ShadowTransformer transformer;
    private final boolean java6;

    ProbingLoader(final ShadowTransformer transformer) {
      this(transformer, false);
    }

    ProbingLoader(final ShadowTransformer transformer, final boolean java6) {
      super(ShadowAgentTest.class.getClassLoader());
      this.transformer = transformer;
      this.java6 = java6;
    }

    private static byte[] asJava6(final byte[] classFile) {
      final ClassWriter w = new ClassWriter(0);
      new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9, w) {
        @Override
        public void visit(final int version, final int access, final String name, final String signature,
            final String superName, final String[] interfaces) {
          super.visit(Opcodes.V1_6, access, name, signature, superName, interfaces);
        }
      }, 0);
      return w.toByteArray();
    }

    @Override
    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith("org.quasi.agent.shadow.fixtures.") && !name.startsWith(SLOW_TEXT)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          final String internal = name.replace('.', '/');
          try (InputStream in = getParent().getResourceAsStream(internal + ".class")) {
            final byte[] read = in.readAllBytes();
            final byte[] original = java6 ? asJava6(read) : read;
            final byte[] probed = transformer.transform(this, internal, null, null, original);
            final byte[] bytes = probed == null ? original : probed;
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        return c;
      }
    }
  }
}
