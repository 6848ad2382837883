package org.quasi.specializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quasi.specializer.Residuals.assertNone;

import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;

/** The public API: building requests, the paper's signal-delivery example, and clear errors on misuse. */
class SpecializerTest {

  /** A process: {@code uid} and {@code euid} are quasi-invariant (they change only on setuid). */
  static final class Task {
    int uid;
    int euid;
    int pending;

    Task(final int uid, final int euid) {
      this.uid = uid;
      this.euid = euid;
    }
  }

  /** The paper's example: may {@code current} signal {@code p}? */
  static final class Kernel {
    int signals;

    int killProc(final Task current, final Task p, final int sig) {
      if (sig < 0 || sig > 64) {
        return -22;
      }
      if (current.euid != 0 && current.euid != p.uid && current.uid != p.uid) {
        return -1;
      }
      p.pending |= 1 << sig;
      signals++;
      return 0;
    }
  }

  /** The residual signature: the unknown arguments in order. */
  interface KillFn {
    int kill(Task p, int sig);
  }

  @Test
  void killProcExample() throws SpecializationDeclined {
    final Kernel kernel = new Kernel();
    final Task current = new Task(1000, 1000);
    final Specialization<KillFn> s = Specializer.of(MethodHandles.lookup())
        .method(Kernel.class, "killProc", Task.class, Task.class, int.class)
        .known(0, kernel).known(1, current)
        .quasiInvariant(Task.class, "uid", "euid")
        .as(KillFn.class)
        .specialize();
    final Task mine = new Task(1000, 1000);
    final Task root = new Task(0, 0);
    assertThat(s.function().kill(mine, 3)).isEqualTo(0);
    assertThat(mine.pending).isEqualTo(8);
    assertThat(s.function().kill(root, 3)).isEqualTo(-1);
    assertThat(s.function().kill(mine, 99)).isEqualTo(-22);
    assertThat(kernel.signals).isEqualTo(1);
    assertThat(s.dependencies()).extracting(Dependency::field).containsExactly("euid", "uid");
    assertThat(s.dependencies()).allMatch(d -> d.object() == current);
    assertThat(s.summary().heapReadsFolded()).isEqualTo(3);
    assertThat(s.dump()).contains("specialized(Lorg/quasi/specializer/SpecializerTest$Task;I)I");
  }

  @Test
  void unknownMethodNamesTheNearest() {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.lookup()).method(Kernel.class, "kilProc", Task.class,
        Task.class, int.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearest: killProc");
  }

  @Test
  void unknownFieldNamesTheNearest() {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.lookup())
        .method(Kernel.class, "killProc", Task.class, Task.class, int.class).quasiInvariant(Task.class, "eiud"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nearest: ").hasMessageContaining("euid");
  }

  @Test
  void knownValueMustFitTheParameter() {
    final SpecializationRequest<Object> r = Specializer.of(MethodHandles.lookup())
        .method(Kernel.class, "killProc", Task.class, Task.class, int.class);
    assertThatThrownBy(() -> r.known(3, "nine")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has type int");
    assertThatThrownBy(() -> r.known(4, 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> r.known(0, null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("receiver");
    assertThatThrownBy(r::specialize).isInstanceOf(IllegalStateException.class).hasMessageContaining("as(");
  }

  @Test
  void interfaceMustFitTheUnknownArguments() {
    assertThatThrownBy(() -> Specializer.of(MethodHandles.lookup())
        .method(Kernel.class, "killProc", Task.class, Task.class, int.class).known(0, new Kernel())
        .as(KillFn.class).specialize())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes 2 parameters");
  }

  @Test
  void requestsAreImmutable() throws SpecializationDeclined {
    final SpecializationRequest<Object> base = Specializer.of(MethodHandles.lookup())
        .method(Kernel.class, "killProc", Task.class, Task.class, int.class).known(0, new Kernel());
    base.known(3, 5);
    final ResidualCode r = base.residual();
    assertThat(r.dump()).contains("specialized(Lorg/quasi/specializer/SpecializerTest$Task;"
        + "Lorg/quasi/specializer/SpecializerTest$Task;I)I");
    assertNone(r, "INVOKEVIRTUAL");
  }
}
