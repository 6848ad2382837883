package org.quasi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.quasi.cli.QuasiCommandTest.Run;
import org.quasi.runtime.QuidHolder;

/** {@code ./quasi weave} over a tiny class directory compiled for the test. */
class WeaveCommandTest {

  @TempDir
  static Path dir;

  static Path classes;

  @BeforeAll
  static void compile() throws IOException {
    final Path src = dir.resolve("src/demo");
    Files.createDirectories(src);
    classes = dir.resolve("classes");
    Files.createDirectories(classes);
    Files.writeString(src.resolve("Task.java"), """
        package demo;
        public class Task {
          public int uid;
          public Task(int u) { this.uid = u; }
        }
        """);
    Files.writeString(src.resolve("Other.java"), """
        package demo;
        public class Other {
          public static void m(Task t) { t.uid = 1; }
          public static void r(Task t) throws ReflectiveOperationException { Task.class.getField("uid").setInt(t, 2); }
          public static native void n();
          public static int read(Task t, int x) { return t.uid * 10 + x; }
        }
        """);
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, "-d", classes.toString(), src.resolve("Task.java").toString(),
        src.resolve("Other.java").toString())).isZero();
  }

  @Test
  void weavesTheClassPathIntoTheOutputDirectory() throws Exception {
    final Path spec = dir.resolve("task.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant demo.Task.uid\n");
    final Path out = dir.resolve("woven");
    final Run run = QuasiCommandTest.quasi("weave", "--class-path", classes.toString(), "--spec", spec.toString(),
        "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).startsWith("quasi weave: 2 classes read, 2 woven, 2 guarded writes (0 batched, 0 through "
        + "the side table), 1 reflective or handle writes rerouted; written to " + out).contains("  QUID in demo.Task")
        .contains("  not rewritten (bypasses the guard): demo.Other.n()V: native method (JNI can write any field)");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
        WeaveCommandTest.class.getClassLoader())) {
      final Class<?> task = loader.loadClass("demo.Task");
      assertThat(QuidHolder.class.isAssignableFrom(task)).isTrue();
      final Object t = task.getConstructor(int.class).newInstance(7);
      loader.loadClass("demo.Other").getMethod("m", task).invoke(null, t);
      assertThat(task.getField("uid").getInt(t)).isEqualTo(1);
      loader.loadClass("demo.Other").getMethod("r", task).invoke(null, t);
      assertThat(task.getField("uid").getInt(t)).isEqualTo(2);
    }
  }

  @Test
  void strictWeavingSaysSoAndRuns() throws Exception {
    final Path spec = dir.resolve("strict.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant demo.Task.uid\n");
    final Path out = dir.resolve("woven-strict");
    final Run run = QuasiCommandTest.quasi("weave", "--class-path", classes.toString(), "--spec", spec.toString(),
        "--out", out.toString(), "--strict");
    assertThat(run.exit()).as(run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("1 reflective or handle writes rerouted, strict; written to " + out);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
        WeaveCommandTest.class.getClassLoader())) {
      final Class<?> task = loader.loadClass("demo.Task");
      final Object t = task.getConstructor(int.class).newInstance(7);
      loader.loadClass("demo.Other").getMethod("m", task).invoke(null, t);
      assertThat(task.getField("uid").getInt(t)).isEqualTo(1);
    }
  }

  @Test
  void weavesEntryPointsThatRunThroughTheVersionManager() throws Exception {
    final Path spec = dir.resolve("entry.spec");
    Files.writeString(spec, "quasi-spec 2\nquasi-invariant demo.Task.uid\n"
        + "entry demo.Other.read(Ldemo/Task;I)I keys arg0 after 1\n");
    final Path out = dir.resolve("woven-entry");
    final Run run = QuasiCommandTest.quasi("weave", "--class-path", classes.toString(), "--spec", spec.toString(),
        "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(QuasiCommand.EXIT_OK);
    assertThat(run.out()).contains("  entry point " + spec + ":3 (run with quasi-versions on the class path)");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {out.toUri().toURL()},
        WeaveCommandTest.class.getClassLoader())) {
      final Class<?> task = loader.loadClass("demo.Task");
      final Class<?> other = loader.loadClass("demo.Other");
      final Object t = task.getConstructor(int.class).newInstance(7);
      final java.lang.reflect.Method read = other.getMethod("read", task, int.class);
      assertThat(read.invoke(null, t, 1)).isEqualTo(71);
      assertThat(read.invoke(null, t, 2)).isEqualTo(72);
      other.getMethod("m", task).invoke(null, t); // a guarded write: the version for t is replugged
      assertThat(read.invoke(null, t, 3)).isEqualTo(13);
      assertThat(other.getDeclaredMethod("read$quasi$generic", task, int.class).isSynthetic()).isTrue();
    }
    final java.io.ByteArrayOutputStream report = new java.io.ByteArrayOutputStream();
    org.quasi.versions.EntryBootstrap.report(new java.io.PrintStream(report, true, "UTF-8"));
    assertThat(report.toString("UTF-8")).as("specialized from the woven class file's generic body")
        .contains(spec + ":3 EntryPoint[", "calls=3, specializedCalls=3, genericCalls=0, specializations=2, "
            + "declined=0, invalidations=1");
  }

  @Test
  void anEntryLineNamingNoMethodExitsTwoWithTheNearestNames() throws IOException {
    final Path spec = dir.resolve("entry-bad.spec");
    Files.writeString(spec, "quasi-spec 2\nentry demo.Other.red(Ldemo/Task;I)I keys arg0\n"
        + "entry demo.Gone.m()V keys this\n");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", classes.toString(), "--spec", spec.toString(), "--out",
        dir.resolve("woven5").toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("entry " + spec + ":2 demo.Other.red(Ldemo/Task;I)I: no such method; nearest: "
        + "read(Ldemo/Task;I)I", "entry " + spec + ":3 demo.Gone.m()V: class demo.Gone is not on the class path");
  }

  @Test
  void aSpecNamingAMissingFieldExitsTwo() throws IOException {
    final Path spec = dir.resolve("missing.spec");
    Files.writeString(spec, "quasi-spec 1\nquasi-invariant demo.Task.gid\n");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", classes.toString(), "--spec", spec.toString(), "--out",
        dir.resolve("woven2").toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("not on the class path: demo.Task.gid (no such field; nearest: uid)");
  }

  @Test
  void aMalformedSpecIsReportedWithItsLine() throws IOException {
    final Path spec = dir.resolve("bad.spec");
    Files.writeString(spec, "quasi-spec 1\nguard demo.Task.uid\n");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", classes.toString(), "--spec", spec.toString(), "--out",
        dir.resolve("woven3").toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains(spec + ":2:");
  }

  @Test
  void aMissingClassPathEntryExitsTwo() {
    final Run run = QuasiCommandTest.quasi("weave", "-cp", dir.resolve("nope").toString(), "--out",
        dir.resolve("woven4").toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("nope", "does not exist");
  }

  @Test
  void aClassPathEntryThatIsNeitherADirectoryNorAJarExitsTwo() throws IOException {
    final Path text = Files.writeString(dir.resolve("notes.txt"), "not a jar\n");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", text.toString(), "--out", dir.resolve("woven6").toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).startsWith("quasi weave: class path entry " + text + " is neither a directory nor a jar (");
  }

  @Test
  void aDamagedClassFileExitsTwoNamingIt() throws IOException {
    final Path damaged = Files.createDirectories(dir.resolve("damaged/demo"));
    final byte[] task = Files.readAllBytes(classes.resolve("demo/Task.class"));
    Files.write(damaged.resolve("Task.class"), java.util.Arrays.copyOf(task, task.length / 2));
    final Run run = QuasiCommandTest.quasi("weave", "-cp", dir.resolve("damaged").toString(), "--out",
        dir.resolve("woven7").toString());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).startsWith("quasi weave: demo/Task.class in " + dir.resolve("damaged")
        + ": not a readable class file: ");
  }

  @Test
  void anOutputThatIsAFileExitsTwo() throws IOException {
    final Path file = Files.writeString(dir.resolve("out.txt"), "");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", classes.toString(), "--out", file.toString());
    assertThat(run.exit()).isEqualTo(QuasiCommand.EXIT_USAGE);
    assertThat(run.err()).contains("--out " + file + " is a file, not a directory");
  }

  /**
   * A valid class the weaver cannot weave is its failure, not the user's: each guarded write is longer than the
   * plain {@code putstatic} it replaces, so a method of 13,000 writes to a quasi-invariant static field (52 KB) grows
   * past the class-file format's 64 KB limit for code.
   */
  @Test
  void aClassTheWeaverFailsOnExitsThreeNamingIt() throws IOException {
    final Path big = Files.createDirectories(dir.resolve("big/demo"));
    Files.write(big.resolve("Big.class"), bigStaticWriter("demo/Big", 13_000));
    final Path spec = Files.writeString(dir.resolve("big.spec"), "quasi-spec 1\nquasi-invariant demo.Big.level\n");
    final Run run = QuasiCommandTest.quasi("weave", "-cp", dir.resolve("big").toString(), "--spec", spec.toString(),
        "--out", dir.resolve("woven8").toString());
    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(QuasiCommand.EXIT_INTERNAL);
    assertThat(run.err()).startsWith("quasi weave: internal error: java.lang.IllegalStateException: demo/Big: "
        + "cannot weave: org.objectweb.asm.MethodTooLargeException: Method too large: demo/Big.fill ()V");
  }

  /**
   * {@code class Big { static int level; static void fill() { level = 1; level = 1; ... } }}, {@code writes} times,
   * written with ASM: javac would not compile a method that large.
   */
  private static byte[] bigStaticWriter(final String name, final int writes) {
    final ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, name, null, "java/lang/Object", null);
    cw.visitField(Opcodes.ACC_STATIC, "level", "I", null, null).visitEnd();
    final MethodVisitor mv = cw.visitMethod(Opcodes.ACC_STATIC, "fill", "()V", null, null);
    mv.visitCode();
    for (int i = 0; i < writes; i++) {
      mv.visitInsn(Opcodes.ICONST_1);
      mv.visitFieldInsn(Opcodes.PUTSTATIC, name, "level", "I");
    }
    mv.visitInsn(Opcodes.RETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }
}
