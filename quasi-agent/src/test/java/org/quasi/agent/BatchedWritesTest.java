package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Guards;

/** Adjacent guarded writes to one object share one QUID test, and behave as the unbatched writes. */
class BatchedWritesTest {

  @Test
  void onlyRunsThatNothingCanObserveAreBatched() throws Exception {
    for (final boolean strict : new boolean[] {false, true}) {
      final WeavingClassLoader woven = Fixtures.woven(Set.of(), WeaveOptions.defaults().withStrict(strict));
      woven.loadClass(Fixtures.PKG + "Frame");
      final Weaver.Result r = Fixtures.resultOf(woven, "Frame");
      // moveTo 3 (batched), moveAndCount 2, shift 2, ratio 2, both 2, pick 1 + 2 (batched after the join).
      assertThat(r.guardedWrites()).isEqualTo(14);
      assertThat(r.batchedWrites()).isEqualTo(5);
    }
  }

  @Test
  void batchedAndSingleWritesStoreWhatTheOriginalStores() throws Exception {
    for (final boolean strict : new boolean[] {false, true}) {
      final String expected = script(Fixtures.original().loadClass(Fixtures.PKG + "Frame"));
      final WeavingClassLoader woven = Fixtures.woven(Set.of(), WeaveOptions.defaults().withStrict(strict));
      final String actual = script(woven.loadClass(Fixtures.PKG + "Frame"));
      assertThat(actual).isEqualTo(expected);
    }
  }

  @Test
  void aBatchOnAnObjectWithAQuidInvalidatesEachWrittenFieldInOrder() throws Exception {
    for (final boolean strict : new boolean[] {false, true}) {
      final Class<?> frame =
          Fixtures.woven(Set.of(), WeaveOptions.defaults().withStrict(strict)).loadClass(Fixtures.PKG + "Frame");
      final Object f = frame.getConstructor().newInstance();
      final Fixtures.Recorder all = new Fixtures.Recorder();
      final Fixtures.Recorder onY = new Fixtures.Recorder();
      Guards.register(all, f, frame, "x");
      Guards.register(all, f, frame, "y");
      Guards.register(all, f, frame, "label");
      Guards.register(onY, f, frame, "y");

      frame.getMethod("moveTo", int.class, long.class, String.class).invoke(f, 4, 5L, "four");

      assertThat(all.causes()).containsExactly(new GuardedLocation(f, frame, "x"),
          new GuardedLocation(f, frame, "y"), new GuardedLocation(f, frame, "label"));
      assertThat(onY.causes()).containsExactly(new GuardedLocation(f, frame, "y"));
      assertThat(f).hasToString("4/11/four/0");
    }
  }

  @Test
  void aBatchOnAnObjectWithoutAQuidTakesNoSlowPath() throws Exception {
    final Class<?> frame = Fixtures.woven(Set.of(), WeaveOptions.defaults()).loadClass(Fixtures.PKG + "Frame");
    final Object f = frame.getConstructor().newInstance();
    frame.getMethod("moveTo", int.class, long.class, String.class).invoke(f, 1, 1L, "one");
    assertThat(Guards.existingQuid(f)).isNull();
    assertThat(f).hasToString("1/3/one/0");
  }

  @Test
  void aNullReceiverThrowsTheSameExceptionBeforeAnyStore() throws Exception {
    final Class<?> frame = Fixtures.woven(Set.of(), WeaveOptions.defaults()).loadClass(Fixtures.PKG + "Frame");
    final Object f = frame.getConstructor().newInstance();
    final Method both = frame.getMethod("both", frame, int.class);
    assertThatThrownBy(() -> both.invoke(f, null, 3)).isInstanceOf(InvocationTargetException.class)
        .cause().isInstanceOf(NullPointerException.class);
    assertThat(f).hasToString("3/0/null/0");
  }

  /** Runs every method of Frame on fresh frames and renders what each left, including exceptions. */
  private static String script(final Class<?> frame) throws Exception {
    final StringBuilder b = new StringBuilder();
    final Object f = frame.getConstructor().newInstance();
    frame.getMethod("moveTo", int.class, long.class, String.class).invoke(f, 1, 2L, "a");
    b.append(f).append(';');
    frame.getMethod("moveAndCount", int.class, long.class).invoke(f, 3, 4L);
    b.append(f).append(';');
    frame.getMethod("shift", int.class).invoke(f, 5);
    b.append(f).append(';');
    try {
      frame.getMethod("ratio", int.class, int.class).invoke(f, 7, 0);
    } catch (InvocationTargetException e) {
      b.append(e.getCause().getClass().getSimpleName()).append(' ');
    }
    b.append(f).append(';');
    final Object other = frame.getConstructor().newInstance();
    frame.getMethod("both", frame, int.class).invoke(f, other, 9);
    b.append(f).append(',').append(other).append(';');
    frame.getMethod("pick", boolean.class, int.class).invoke(f, false, 6);
    b.append(f);
    return b.toString();
  }
}
