package org.quasi.specializer.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.objectweb.asm.Opcodes.*;
import static org.quasi.specializer.internal.LocalCleanupTest.code;
import static org.quasi.specializer.internal.LocalCleanupTest.names;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/** Explicit null checks and class-initialization triggers that the residual code repeats anyway disappear. */
class NullChecksAndTriggersTest {
  private static final String NODE = "org/quasi/specializer/corpus/Node";

  /** {@code r.getClassCall(); return r.value + x}: the field read is the same null check, with nothing before it. */
  @Test
  void checkBeforeADereferenceOfTheSameLocalGoes() {
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), aload(0),
        new FieldInsnNode(GETFIELD, NODE, "value", "I"), iload(1), new InsnNode(IADD), new InsnNode(IRETURN));
    assertThat(NullChecks.run(code, List.of())).isTrue();
    assertThat(names(code)).containsExactly("ALOAD 0", "GETFIELD", "ILOAD 1", "IADD", "IRETURN");
  }

  /** {@code r.getClassCall(); return r2.m(r)}: the call dereferences another reference first; the check stays. */
  @Test
  void checkBeforeADereferenceOfAnotherValueStays() {
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), aload(1), aload(0),
        new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "equals", "(Ljava/lang/Object;)Z", false),
        new InsnNode(IRETURN));
    assertThat(NullChecks.run(code, List.of())).isFalse();
    assertThat(names(code)).startsWith("ALOAD 0", "INVOKEVIRTUAL", "POP");
  }

  /** {@code r.getClassCall(); if (x) return 0; ...}: a branch comes first, and one of its paths never dereferences r. */
  @Test
  void checkBeforeABranchStays() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), iload(1), new JumpInsnNode(IFEQ, l),
        new InsnNode(ICONST_0), new InsnNode(IRETURN), l, aload(0), new FieldInsnNode(GETFIELD, NODE, "value", "I"),
        new InsnNode(IRETURN));
    assertThat(NullChecks.run(code, List.of())).isFalse();
  }

  /** The dereference is in a try range the check is not in: a handler would catch one and not the other. */
  @Test
  void checkOutsideTheDereferencesTryRangeStays() {
    final LabelNode start = new LabelNode();
    final LabelNode end = new LabelNode();
    final LabelNode handler = new LabelNode();
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), start, aload(0),
        new FieldInsnNode(GETFIELD, NODE, "value", "I"), new InsnNode(IRETURN), end, handler, new InsnNode(POP),
        new InsnNode(ICONST_M1), new InsnNode(IRETURN));
    final List<TryCatchBlockNode> handlers = List.of(new TryCatchBlockNode(start, end, handler, null));
    assertThat(NullChecks.run(code, handlers)).isFalse();
  }

  /** {@code r.getClass(); if (x) return null; return r} with a check of r again: every path checked r already. */
  @Test
  void checkRepeatedOnEveryPathGoes() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), iload(1), new JumpInsnNode(IFEQ, l),
        new InsnNode(ACONST_NULL), new InsnNode(ARETURN), l, aload(0), new InsnNode(DUP), getClassCall(),
        new InsnNode(POP), new InsnNode(ARETURN));
    assertThat(NullChecks.run(code, List.of())).isTrue();
    assertThat(names(code)).containsExactly("ALOAD 0", "INVOKEVIRTUAL", "POP", "ILOAD 1", "IFEQ", "ACONST_NULL",
        "ARETURN", "ALOAD 0", "ARETURN");
  }

  /** A store into r between the two checks: the second checks another reference and stays. */
  @Test
  void checkAfterAStoreStays() {
    final InsnList code = code(aload(0), getClassCall(), new InsnNode(POP), aload(1), new VarInsnNode(ASTORE, 0),
        aload(0), new InsnNode(DUP), getClassCall(), new InsnNode(POP), new InsnNode(ARETURN));
    assertThat(NullChecks.run(code, List.of())).isFalse();
  }

  /** A string constant or a new object cannot be null: {@code dup; getClass; pop} after one goes. */
  @Test
  void checkOfAConstantGoes() {
    final InsnList code = code(new LdcInsnNode("s"), new InsnNode(DUP), getClassCall(), new InsnNode(POP),
        new InsnNode(ARETURN));
    assertThat(NullChecks.run(code, List.of())).isTrue();
    assertThat(names(code)).containsExactly("LDC", "ARETURN");
  }

  /**
   * {@code new C; pop; if (x) {new C; pop} ...; new C; pop}: after the first trigger C is initialized on every
   * path, so the later ones go; the first stays (nothing before it initializes C).
   */
  @Test
  void repeatedTriggersGo() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(trigger(), new InsnNode(POP), iload(0), new JumpInsnNode(IFEQ, l), trigger(),
        new InsnNode(POP), l, trigger(), new InsnNode(POP), iload(0), new InsnNode(IRETURN));
    assertThat(InitTriggers.run(code, new ArrayList<>(), new ClassRepository(), Object.class)).isTrue();
    assertThat(names(code)).containsExactly("NEW", "POP", "ILOAD 0", "IFEQ", "ILOAD 0", "IRETURN");
  }

  /**
   * A trigger on one path only does not make the trigger after the join redundant (the one before it goes: the
   * join's trigger initializes C next on that path anyway).
   */
  @Test
  void triggersOnOnePathOnlyStay() {
    final LabelNode l = new LabelNode();
    final InsnList code = code(iload(0), new JumpInsnNode(IFEQ, l), trigger(), new InsnNode(POP), l, trigger(),
        new InsnNode(POP), iload(0), new InsnNode(IRETURN));
    InitTriggers.run(code, new ArrayList<>(), new ClassRepository(), Object.class);
    assertThat(names(code)).containsExactly("ILOAD 0", "IFEQ", "NEW", "POP", "ILOAD 0", "IRETURN");
    assertThat(l.getNext().getOpcode()).isEqualTo(NEW);
  }

  /**
   * The trigger of an interface or abstract class is {@code getstatic C.f; pop}: it goes when the next effect reads
   * a static field of C anyway, and stays when its field is {@code volatile} (that read is also an acquire).
   */
  @Test
  void getstaticTriggersGoLikeAllocationTriggers() {
    final String registry = Type.getInternalName(Registry.class);
    final InsnList code = code(new FieldInsnNode(GETSTATIC, registry, "NAMES", "Ljava/util/List;"),
        new InsnNode(POP), new FieldInsnNode(GETSTATIC, registry, "NAMES", "Ljava/util/List;"),
        new InsnNode(ARETURN));
    assertThat(InitTriggers.run(code, new ArrayList<>(), new ClassRepository(), NullChecksAndTriggersTest.class))
        .isTrue();
    assertThat(names(code)).containsExactly("GETSTATIC", "ARETURN");
    final String flagged = Type.getInternalName(Flagged.class);
    final InsnList kept = code(new FieldInsnNode(GETSTATIC, flagged, "ready", "Z"), new InsnNode(POP),
        new FieldInsnNode(GETSTATIC, flagged, "count", "I"), new InsnNode(IRETURN));
    assertThat(InitTriggers.run(kept, new ArrayList<>(), new ClassRepository(), NullChecksAndTriggersTest.class))
        .isFalse();
    assertThat(names(kept)).containsExactly("GETSTATIC", "POP", "GETSTATIC", "IRETURN");
  }

  /**
   * {@code new C; pop; ldc <method handle>; invokestatic C.take}: loading a method handle constant resolves the
   * member it names, which may fail (here it names no method), so it is an effect between the trigger and C's own
   * call: the trigger stays, and C is initialized before the {@link NoSuchMethodError}, as without the clean-up.
   */
  @Test
  void triggerBeforeAMethodHandleConstantStays() throws Throwable {
    final String taker = Type.getInternalName(Taker.class);
    final InsnList code = code(new TypeInsnNode(NEW, taker), new InsnNode(POP),
        new LdcInsnNode(new Handle(H_INVOKESTATIC, taker, "missing", "()V", false)),
        new MethodInsnNode(INVOKESTATIC, taker, "take", "(Ljava/lang/invoke/MethodHandle;)I", false),
        new InsnNode(IRETURN));
    InitTriggers.run(code, new ArrayList<>(), new ClassRepository(), NullChecksAndTriggersTest.class);
    final List<String> cleaned = names(code);
    final MethodHandle run = HiddenMethods.define(NullChecksAndTriggersTest.class, code,
        MethodType.methodType(int.class));
    assertThatThrownBy(() -> {
      final int unused = (int) run.invokeExact();
    }).isInstanceOf(NoSuchMethodError.class);
    assertThat(TAKER_LOG).as("Taker's initializer ran before the handle failed to resolve").containsExactly(
        "initialized");
    assertThat(cleaned).containsExactly("NEW", "POP", "LDC", "INVOKESTATIC", "IRETURN");
  }

  /** What {@link Taker}'s initializer did (kept outside it: reading it does not initialize Taker). */
  static final List<String> TAKER_LOG = new ArrayList<>();

  /** A class with an initializer that leaves a trace, and a static method taking a method handle. */
  static final class Taker {
    static {
      TAKER_LOG.add("initialized");
    }

    private Taker() {
    }

    static int take(final MethodHandle h) {
      return 1;
    }
  }

  /** An interface with a static field: its trigger is a read of that field. */
  interface Registry {
    List<String> NAMES = new ArrayList<>(List.of("a"));
  }

  /** An abstract class whose first static field is volatile. */
  abstract static class Flagged {
    static volatile boolean ready = true;
    static int count = 1;
  }

  /** A class referenced only by a class literal is not initialized, and the query says so. */
  @Test
  void theQueryAnswersOnlyForInitializedClasses() {
    assertThat(InitializationQuery.completed(NeverInitialized.class)).isFalse();
    // JDK 22 removed sun.misc's query; without the export of jdk.internal.misc it always answers false there.
    final boolean exported = Object.class.getModule().isExported("jdk.internal.misc",
        InitializationQuery.class.getModule());
    assertThat(InitializationQuery.available()).isEqualTo(Runtime.version().feature() < 22 || exported);
    assertThat(InitializationQuery.completed(String.class)).isEqualTo(InitializationQuery.available());
  }

  /** With {@code java.base/jdk.internal.misc} exported (as quasi.jar's manifest asks), every JDK answers. */
  @Test
  void theExportOfJdkInternalMiscAnswersTheQueryOnEveryJdk() throws Exception {
    final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    final Process child = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-cp", classPath, QueryInChild.class.getName()).redirectErrorStream(true).start();
    final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(child.waitFor()).as(out).isZero();
    assertThat(out).isEqualTo("available=true String=true NeverInitialized=false");
  }

  /** Run in a child JVM: prints what the query answers there. */
  static final class QueryInChild {
    public static void main(final String[] args) {
      System.out.println("available=" + InitializationQuery.available()
          + " String=" + InitializationQuery.completed(String.class)
          + " NeverInitialized=" + InitializationQuery.completed(NeverInitialized.class));
    }
  }

  /** Never used but through its class literal. */
  static final class NeverInitialized {
    static final List<String> LOG = new ArrayList<>();

    static {
      LOG.add("initialized");
    }
  }

  private static TypeInsnNode trigger() {
    return new TypeInsnNode(NEW, NODE);
  }

  private static MethodInsnNode getClassCall() {
    return new MethodInsnNode(INVOKEVIRTUAL, "java/lang/Object", "getClass", "()Ljava/lang/Class;", false);
  }

  private static VarInsnNode aload(final int var) {
    return new VarInsnNode(ALOAD, var);
  }

  private static VarInsnNode iload(final int var) {
    return new VarInsnNode(ILOAD, var);
  }
}
