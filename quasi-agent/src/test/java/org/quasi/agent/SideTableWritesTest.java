package org.quasi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StreamTokenizer;
import java.io.StringReader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quasi.runtime.GuardedLocation;
import org.quasi.runtime.Guards;
import org.quasi.runtime.QuidHolder;

/**
 * Writes from woven code to quasi-invariants of classes that cannot be woven: {@code Legacy}, which the weaver is
 * told it cannot weave, and {@code java.io.StreamTokenizer.ttype}, a real JDK field.
 */
class SideTableWritesTest {

  private static final Set<String> SPEC = Set.of("org/quasi/agent/fixtures/Legacy.mode",
      "org/quasi/agent/fixtures/Legacy.level", "java/io/StreamTokenizer.ttype");

  private static WeavingClassLoader woven(final boolean strict) {
    return Fixtures.woven(SPEC, WeaveOptions.defaults().withStrict(strict)
        .withUnwoven(n -> n.equals("org/quasi/agent/fixtures/Legacy")));
  }

  @Test
  void theUnwovenClassStaysAsCompiledAndItsWritersUseTheSideTable() throws Exception {
    final WeavingClassLoader woven = woven(false);
    final Class<?> legacy = woven.loadClass(Fixtures.PKG + "Legacy");
    woven.loadClass(Fixtures.PKG + "LegacyUser");
    final Class<?> child = woven.loadClass(Fixtures.PKG + "LegacyChild");
    assertThat(Fixtures.resultOf(woven, "Legacy").changed()).isFalse();
    assertThat(QuidHolder.class.isAssignableFrom(legacy)).isFalse();
    assertThat(QuidHolder.class.isAssignableFrom(child)).as("the woven subclass holds the QUID").isTrue();
    final Weaver.Result user = Fixtures.resultOf(woven, "LegacyUser");
    assertThat(user.guardedWrites()).isEqualTo(3);
    assertThat(user.sideTableWrites()).as("mode, level and ttype").isEqualTo(3);
  }

  @Test
  void aWriteToAnUnwovenObjectWithASideTableQuidInvalidatesItsDependents() throws Exception {
    for (final boolean strict : new boolean[] {false, true}) {
      final WeavingClassLoader woven = woven(strict);
      final Class<?> legacy = woven.loadClass(Fixtures.PKG + "Legacy");
      final Class<?> user = woven.loadClass(Fixtures.PKG + "LegacyUser");
      final Object relied = legacy.getConstructor().newInstance();
      final Object free = legacy.getConstructor().newInstance();
      final Fixtures.Recorder onMode = new Fixtures.Recorder();
      Guards.register(onMode, relied, legacy, "mode");
      assertThat(Guards.sideTableFlag(legacy).armed()).isTrue();

      user.getMethod("setMode", legacy, int.class).invoke(null, free, 5);
      assertThat(onMode.isValid()).as("another instance has no QUID: plain write").isTrue();
      assertThat(legacy.getField("mode").getInt(free)).isEqualTo(5);

      user.getMethod("setMode", legacy, int.class).invoke(null, relied, 6);
      assertThat(onMode.causes()).containsExactly(new GuardedLocation(relied, legacy, "mode"));
      assertThat(legacy.getField("mode").getInt(relied)).isEqualTo(6);
    }
  }

  @Test
  void aWriteToAnUnwovenFieldOfAWovenSubclassFindsTheQuidInItsField() throws Exception {
    final WeavingClassLoader woven = woven(false);
    final Class<?> legacy = woven.loadClass(Fixtures.PKG + "Legacy");
    final Class<?> child = woven.loadClass(Fixtures.PKG + "LegacyChild");
    final Class<?> user = woven.loadClass(Fixtures.PKG + "LegacyUser");
    final Object c = child.getConstructor().newInstance();
    final Fixtures.Recorder onMode = new Fixtures.Recorder();
    Guards.register(onMode, c, legacy, "mode");
    assertThat(((QuidHolder) c).$quasi$quid()).isNotNull();

    user.getMethod("setMode", legacy, int.class).invoke(null, c, 2);

    assertThat(onMode.causes()).containsExactly(new GuardedLocation(c, legacy, "mode"));
  }

  @Test
  void aStaticFieldOfAnUnwovenClassUsesItsStaticFlag() throws Exception {
    final WeavingClassLoader woven = woven(false);
    final Class<?> legacy = woven.loadClass(Fixtures.PKG + "Legacy");
    final Class<?> user = woven.loadClass(Fixtures.PKG + "LegacyUser");
    user.getMethod("setLevel", int.class).invoke(null, 1);
    final Fixtures.Recorder onLevel = new Fixtures.Recorder();
    Guards.register(onLevel, null, legacy, "level");

    user.getMethod("setLevel", int.class).invoke(null, 2);

    assertThat(onLevel.causes()).containsExactly(new GuardedLocation(null, legacy, "level"));
    assertThat(legacy.getField("level").getInt(null)).isEqualTo(2);
  }

  @Test
  void aJdkFieldWrittenByUserCodeIsGuarded() throws Exception {
    final Class<?> user = woven(false).loadClass(Fixtures.PKG + "LegacyUser");
    final StreamTokenizer relied = new StreamTokenizer(new StringReader("a"));
    final StreamTokenizer free = new StreamTokenizer(new StringReader("b"));
    final Fixtures.Recorder onType = new Fixtures.Recorder();
    user.getMethod("setType", StreamTokenizer.class, int.class).invoke(null, free, 3);
    Guards.register(onType, relied, StreamTokenizer.class, "ttype");

    user.getMethod("setType", StreamTokenizer.class, int.class).invoke(null, free, 4);
    assertThat(onType.isValid()).isTrue();
    user.getMethod("setType", StreamTokenizer.class, int.class).invoke(null, relied, StreamTokenizer.TT_WORD);

    assertThat(onType.causes()).containsExactly(new GuardedLocation(relied, StreamTokenizer.class, "ttype"));
    assertThat(relied.ttype).isEqualTo(StreamTokenizer.TT_WORD);
    assertThat(free.ttype).isEqualTo(4);
  }
}
