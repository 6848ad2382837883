package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quasi.cases.signals.Errno.EPERM;
import static org.quasi.cases.signals.Errno.ESRCH;
import static org.quasi.cases.signals.Signals.SIGUSR1;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.quasi.specializer.Dependency;
import org.quasi.specializer.Specialization;
import org.quasi.specializer.SpecializationRequest;
import org.quasi.specializer.Specializer;

/**
 * What the specializer makes of the kill path on a live 62-process kernel: {@code Kernel.sysKill} with the kernel,
 * the pid and the signal known, {@code current} folded, and the quasi-invariants of {@code signals.spec} plus
 * {@code SignalStruct.action} (whose elements the specializer folds, but which the spec leaves out because the
 * version manager cannot guard array elements: the Quasi variant's versions read the action at run time).
 * This is the paper's §4.1 claim, checked on the residual bytecode: the task-list search is gone (no backward jump,
 * no read of the links), {@code send_sig}'s permission test and {@code generate}'s action lookup are folded, signal 0
 * is {@code return 0} and SIGUSR1 is Figure 4.
 */
class KillPathFoldingTest {

  /** The residual code's interface: every argument of sysKill is known. */
  interface Kill {
    int kill();
  }

  private final List<String> log = new ArrayList<>();
  private Kernel kernel;
  private Task self;

  @BeforeEach
  void boot() {
    kernel = new Kernel();
    Population.background(kernel, 60);
    self = Population.userProcess(kernel);
    kernel.sysSigaction(SIGUSR1, new RecordingHandler("h", log, 0), 0, 0);
    assertThat(Population.processes(kernel)).isEqualTo(62);
  }

  /** The spec's quasi-invariant lines, current (a key of the entry line) and SignalStruct.action (see above). */
  private SpecializationRequest<Kill> request(final int pid, final int sig) throws NoSuchMethodException {
    return Specializer.of(MethodHandles.lookup()).method(Kernel.class, "sysKill", int.class, int.class)
        .known(0, kernel).known(1, pid).known(2, sig)
        .quasiInvariant(KernelCore.class, "current")
        .quasiInvariant(Task.class, "nextTask", "pid", "uid", "euid", "suid", "session", "sig")
        .quasiInvariant(SignalStruct.class, "action")
        .quasiInvariant(SigAction.class, "handler")
        .as(Kill.class);
  }

  private static MethodNode method(final Specialization<?> s) {
    ClassNode c = new ClassNode();
    new ClassReader(s.residual().classFile()).accept(c, 0);
    return c.methods.stream().filter(m -> m.name.equals("specialized")).findFirst().orElseThrow();
  }

  private static List<AbstractInsnNode> code(final MethodNode m) {
    return StreamSupport.stream(m.instructions.spliterator(), false).filter(i -> i.getOpcode() >= 0).toList();
  }

  private static boolean reads(final MethodNode m, final String field) {
    return code(m).stream().anyMatch(i -> i instanceof FieldInsnNode f && f.name.equals(field)
        && (f.getOpcode() == Opcodes.GETFIELD || f.getOpcode() == Opcodes.GETSTATIC));
  }

  /** Whether the residual method's control flow has a cycle (depth-first search for a back edge). */
  private static boolean hasLoop(final MethodNode m) {
    List<AbstractInsnNode> code = StreamSupport.stream(m.instructions.spliterator(), false).toList();
    int[] color = new int[code.size()]; // 0 unseen, 1 on the path, 2 done
    return cycleFrom(m, code, 0, color);
  }

  private static boolean cycleFrom(final MethodNode m, final List<AbstractInsnNode> code, final int at,
      final int[] color) {
    if (at >= code.size() || color[at] == 2) {
      return false;
    }
    if (color[at] == 1) {
      return true;
    }
    color[at] = 1;
    AbstractInsnNode i = code.get(at);
    List<Integer> next = new ArrayList<>();
    if (i instanceof JumpInsnNode j) {
      next.add(m.instructions.indexOf(j.label));
    }
    int op = i.getOpcode();
    boolean ends = op == Opcodes.GOTO || op >= Opcodes.IRETURN && op <= Opcodes.RETURN || op == Opcodes.ATHROW;
    if (!ends) {
      next.add(at + 1);
    }
    for (int n : next) {
      if (cycleFrom(m, code, n, color)) {
        return true;
      }
    }
    color[at] = 2;
    return false;
  }

  @Test
  void signalZeroToItselfIsTheNullSystemCall() throws Exception {
    Specialization<Kill> s = request(self.pid(), 0).specialize();
    List<AbstractInsnNode> code = code(method(s));
    assertThat(code).extracting(AbstractInsnNode::getOpcode).containsExactly(Opcodes.ICONST_0, Opcodes.IRETURN);
    assertThat(s.function().kill()).isZero();
    assertThat(s.summary().loopIterationsUnrolled()).as("the search walked the 61 tasks before the target")
        .isEqualTo(61);
  }

  @Test
  void sigusr1ToItselfIsFigure4() throws Exception {
    Specialization<Kill> s = request(self.pid(), SIGUSR1).specialize();
    MethodNode m = method(s);
    assertThat(hasLoop(m)).as("no loop left:%n%s", s.dump()).isFalse();
    assertThat(reads(m, "nextTask") || reads(m, "pid") || reads(m, "uid") || reads(m, "euid")
        || reads(m, "suid") || reads(m, "session") || reads(m, "current") || reads(m, "action")
        || reads(m, "handler")).as("search, permission test and action lookup folded:%n%s", s.dump()).isFalse();
    // Figure 4: p->signal |= mask; if (p->state == TASK_INTERRUPTIBLE && (p->signal & ~p->blocked)) wake_up_process
    assertThat(code(m)).anyMatch(i -> i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD
        && f.name.equals("signal"));
    assertThat(reads(m, "state")).isTrue();
    assertThat(code(m)).filteredOn(i -> i instanceof MethodInsnNode).extracting(i -> ((MethodInsnNode) i).name)
        .containsOnly("wakeUpProcess");
    // Figure 4 appears twice: once after generate's residual tests of blocked and flags (their forked side) and once
    // on the straight path, which the specializer does not merge at a non-loop join. 71 instructions today.
    assertThat(code(m).size()).as("the residual of sysKill, killProc, sendSig and generate").isLessThanOrEqualTo(75);
    assertThat(s.dump()).doesNotContain("SIG_IGN", "SIG_DFL", "NEW ");

    assertThat(s.function().kill()).isZero();
    assertThat(self.signal() & Signals.mask(SIGUSR1)).isNotZero();
    kernel.returnToUser();
    assertThat(log).containsExactly("h:" + self.pid() + ":" + SIGUSR1);
  }

  /**
   * The precision point of docs/cases-signals.md: the folded search stops at the target and never reads its
   * {@code nextTask}, which fork writes (the new task is linked after the last one), so a guard that tracks the
   * fields a version read need not invalidate it on fork. Every task before it is a dependency on both fields.
   */
  @Test
  void theVersionDoesNotDependOnTheTargetsNextTask() throws Exception {
    Specialization<Kill> s = request(self.pid(), SIGUSR1).specialize();
    List<Dependency> deps = s.dependencies();
    assertThat(deps).noneMatch(d -> d.object() == self && d.field().equals("nextTask"));
    assertThat(deps).anyMatch(d -> d.object() == self && d.field().equals("pid"));
    assertThat(deps).anyMatch(d -> d.object() == kernel.initProcess() && d.field().equals("nextTask"));
    assertThat(deps).anyMatch(d -> d.object() == kernel && d.field().equals("current"));
    assertThat(deps).noneMatch(d -> d.field() != null && (d.field().equals("signal") || d.field().equals("state")
        || d.field().equals("blocked") || d.field().equals("flags")));
  }

  @Test
  void foldedRefusalsAreConstants() throws Exception {
    // A root daemon: user 500 may not signal it.
    Task root = kernel.findTask(2);
    assertThat(root.euid()).isZero();
    Specialization<Kill> eperm = request(root.pid(), SIGUSR1).specialize();
    assertThat(code(method(eperm))).hasSize(2);
    assertThat(eperm.function().kill()).isEqualTo(-EPERM).isEqualTo(kernel.sysKill(root.pid(), SIGUSR1));

    Specialization<Kill> esrch = request(9999, SIGUSR1).specialize();
    assertThat(code(method(esrch))).hasSize(2);
    assertThat(esrch.function().kill()).isEqualTo(-ESRCH);
    assertThat(esrch.summary().loopIterationsUnrolled()).as("the whole list was searched").isEqualTo(62);
  }

  /**
   * When only {@code suser()} grants permission, its side effect on {@code current.flags} is a write the residual
   * code must keep (flags is not a quasi-invariant).
   */
  @Test
  void permissionByPrivilegeKeepsTheSuperPrivFlag() throws Exception {
    Task sender = kernel.initProcess(); // root signals a user's process: only suser() says yes
    kernel.switchTo(sender);
    sender.flags = 0;
    Specialization<Kill> s = request(self.pid(), SIGUSR1).specialize();
    assertThat(code(method(s))).anyMatch(i -> i instanceof FieldInsnNode f && f.getOpcode() == Opcodes.PUTFIELD
        && f.name.equals("flags"));
    assertThat(s.function().kill()).isZero();
    assertThat(sender.flags & TaskState.PF_SUPERPRIV).isNotZero();
  }
}
