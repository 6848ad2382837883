package org.quasi.bench.shadow;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What does shadow mode's probe cost a hot method once the method's samples are taken?
 *
 * <p>A program under {@code ./quasi shadow} keeps running its probed methods long after each was shadowed as often as
 * allowed (8 by default): a codec's inner loop runs billions of times. We call the same small function on 1024
 * values three ways: from a class shadow mode does not probe (the baseline), from a class it probes, and from the same
 * class as a Java 6 class file. The forks run with the agent in shadow mode, every invocation sampled until one was
 * shadowed ({@link ShadowBenchAgent}), so both probes are past their samples before measurement starts. The probe of
 * a Java 7+ class is an {@code invokedynamic} whose call site becomes a no-op then, and the JIT compiles it to
 * nothing; a Java 6 class file's probe is a static call that counts the invocation and compares, at every call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ShadowProbeBenchmark {

  private final int[] values = new int[1024];
  private IntUnaryOperator plain;
  private IntUnaryOperator probed;
  private IntUnaryOperator java6;

  @Setup(Level.Trial)
  public void setUp() throws ReflectiveOperationException, IOException {
    if (ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .noneMatch(a -> a.startsWith("-javaagent:") && a.contains("=shadow:"))) {
      throw new IllegalStateException("this benchmark measures shadow mode's probes: run it with ./quasi bench shadow, "
          + "whose forks get Quasi's agent in shadow mode");
    }
    for (int i = 0; i < values.length; i++) {
      values[i] = i * 31 + 7;
    }
    plain = new PlainMixer();
    probed = new ProbedMixer();
    java6 = (IntUnaryOperator) new Java6Loader().loadClass(Java6Mixer.class.getName()).getConstructor()
        .newInstance();
    // Each probed method's one sample (the shadow specializes it and compares) is taken here.
    probed.applyAsInt(1);
    java6.applyAsInt(1);
  }

  @Benchmark
  public int unprobed() {
    return sum(plain);
  }

  @Benchmark
  public int probedPastItsSamples() {
    return sum(probed);
  }

  @Benchmark
  public int java6ProbedPastItsSamples() {
    return sum(java6);
  }

  private int sum(final IntUnaryOperator f) {
    int s = 0;
    for (final int v : values) {
      s += f.applyAsInt(v);
    }
    return s;
  }

  /** Loads {@link Java6Mixer} child first, its class file rewritten as a Java 6 one; the rest from the parent. */
  private static final class Java6Loader extends ClassLoader {
    Java6Loader() {
      super(ShadowProbeBenchmark.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(final String name, final boolean resolve) throws ClassNotFoundException {
      if (!name.equals(Java6Mixer.class.getName())) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        final Class<?> loaded = findLoadedClass(name);
        if (loaded != null) {
          return loaded;
        }
        try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
          final ClassWriter w = new ClassWriter(0);
          new ClassReader(in.readAllBytes()).accept(new ClassVisitor(Opcodes.ASM9, w) {
            @Override
            public void visit(final int version, final int access, final String className, final String signature,
                final String superName, final String[] interfaces) {
              super.visit(Opcodes.V1_6, access, className, signature, superName, interfaces);
            }
          }, 0);
          final byte[] bytes = w.toByteArray();
          return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
    }
  }
}
