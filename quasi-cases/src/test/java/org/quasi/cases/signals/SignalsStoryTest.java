package org.quasi.cases.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The story the tour tells is what the kernels do: the story itself fails if the Quasi or the generic kernel answers
 * a kill otherwise than it says; this checks what it says.
 */
class SignalsStoryTest {

  @Test
  void aVersionIsMadeThenAGuardedSetuidReplugsAndKillAnswersEperm() {
    final List<String> lines = new ArrayList<>();
    SignalsStory.tell(lines::add);
    assertThat(lines).contains(
        "    entry org.quasi.cases.signals.Kernel.sysKill(II)I keys this.current, arg0, arg1 replugger simple",
        "  kill(62, SIGUSR1) = 0",
        "  entry point: 2 calls (1 specialized, 1 generic); versions: 1 made, 0 invalidated",
        "  entry point: 2 calls (1 specialized, 1 generic); versions: 1 made, 1 invalidated",
        "  kill(62, SIGUSR1) = -EPERM: the generic kill path, replugged",
        "  kill(62, SIGUSR1) = -EPERM: a new version, made on the target's new uids",
        "  entry point: 4 calls (2 specialized, 2 generic); versions: 2 made, 1 invalidated",
        "  calls left in it: Kernel.wakeUpProcess");
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  relies on 128 quasi-invariant fields"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("Task.nextTask x62", "Task.pid x62", "Task.uid"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains("loop iterations unrolled 61", "left as calls 1"));
  }
}
