package org.quasi.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Guarded writes: the fast path, the slow path's invalidations, stamps, static flags and the side table. */
class GuardsTest {

  /** A dependent that records its invalidations. */
  private static final class Recorder implements Dependent {
    final List<GuardedLocation> causes = new ArrayList<>();

    @Override
    public synchronized void invalidate(final GuardedLocation cause) {
      causes.add(cause);
    }

    @Override
    public synchronized boolean isValid() {
      return causes.isEmpty();
    }
  }

  @Test
  void anObjectNothingReliesOnHasNoQuidAndItsWritesStayPlain() {
    final WovenByHand o = new WovenByHand(80);
    o.setPort(81);
    assertThat(o.port).isEqualTo(81);
    assertThat(Guards.existingQuid(o)).isNull();
  }

  @Test
  void aGuardedWriteInvalidatesEveryDependentOfThatFieldOfThatObjectOnly() {
    final WovenByHand o = new WovenByHand(80);
    final WovenByHand other = new WovenByHand(80);
    final Recorder onO = new Recorder();
    final Recorder onOther = new Recorder();
    Guards.register(onO, o, WovenByHand.class, "port");
    Guards.register(onOther, other, WovenByHand.class, "port");
    assertThat(Guards.existingQuid(o).dependentCount(WovenByHand.class, "port")).isEqualTo(1);

    o.setPort(8080);

    assertThat(o.port).isEqualTo(8080);
    assertThat(onO.causes).containsExactly(new GuardedLocation(o, WovenByHand.class, "port"));
    assertThat(onOther.isValid()).isTrue();
    assertThat(Guards.existingQuid(o).dependentCount(WovenByHand.class, "port")).isZero();
  }

  @Test
  void aRegistrationIsUnchangedUntilAGuardedWriteBegins() {
    final WovenByHand o = new WovenByHand(80);
    final GuardRegistration r = Guards.register(new Recorder(), o, WovenByHand.class, "port");
    assertThat(r.unchanged()).isTrue();
    o.setPort(80);
    assertThat(r.unchanged()).isFalse();
  }

  @Test
  void aRegistrationDuringAGuardedWriteIsNeverUnchanged() {
    final WovenByHand o = new WovenByHand(80);
    final Quid q = Guards.quidOf(o);
    final GuardRegistration[] during = new GuardRegistration[1];
    // The first dependent's invalidation registers another one while the write is between before and after.
    Guards.register(new Dependent() {
      @Override
      public void invalidate(final GuardedLocation cause) {
        during[0] = Guards.register(new Recorder(), o, WovenByHand.class, "port");
      }

      @Override
      public boolean isValid() {
        return during[0] == null;
      }
    }, o, WovenByHand.class, "port");
    Guards.beforeWrite(o, q, WovenByHand.class, "port");
    o.port = 1;
    Guards.afterWrite(q, WovenByHand.class, "port");
    assertThat(during[0]).isNotNull();
    assertThat(during[0].unchanged()).isFalse();
  }

  @Test
  void aFailingInvalidationStillInvalidatesTheOthersAndLeavesTheStampConsistent() {
    final WovenByHand o = new WovenByHand(80);
    final Recorder second = new Recorder();
    Guards.register(new Dependent() {
      @Override
      public void invalidate(final GuardedLocation cause) {
        throw new IllegalStateException("cannot unplug");
      }

      @Override
      public boolean isValid() {
        return true;
      }
    }, o, WovenByHand.class, "port");
    Guards.register(second, o, WovenByHand.class, "port");
    assertThatThrownBy(() -> o.setPort(1)).hasMessage("cannot unplug");
    assertThat(o.port).isEqualTo(80);
    assertThat(second.isValid()).isFalse();
    // The write ended: a new registration is unchanged again.
    assertThat(Guards.register(new Recorder(), o, WovenByHand.class, "port").unchanged()).isTrue();
  }

  @Test
  void aStaticFlagIsArmedByTheFirstDependentAndItsWritesInvalidate() {
    final GuardFlag flag = Guards.staticFlag(WovenByHand.class, "limit");
    assertThat(flag).isSameAs(WovenByHand.$quasi$flag$limit);
    final Recorder r = new Recorder();
    Guards.register(r, null, WovenByHand.class, "limit");
    assertThat(flag.armed()).isTrue();
    WovenByHand.setLimit(20);
    assertThat(WovenByHand.limit).isEqualTo(20);
    assertThat(r.causes).containsExactly(new GuardedLocation(null, WovenByHand.class, "limit"));
  }

  /** A class that is never woven: its objects' QUIDs live in the side table. */
  static class Unwoven {
    int mode;
  }

  static final class UnwovenChild extends Unwoven {
  }

  @Test
  void theSideTableArmsTheClassFlagOfTheObjectsClassAndItsSuperclasses() {
    final GuardFlag childFlag = Guards.sideTableFlag(UnwovenChild.class);
    assertThat(childFlag.armed()).isFalse();
    final UnwovenChild o = new UnwovenChild();
    final Unwoven plain = new Unwoven();
    final Recorder r = new Recorder();
    Guards.register(r, o, Unwoven.class, "mode");
    assertThat(childFlag.armed()).isTrue();
    assertThat(Guards.sideTableFlag(Unwoven.class).armed()).isTrue();
    assertThat(Guards.sideTableQuid(o)).isSameAs(Guards.existingQuid(o)).isNotNull();
    assertThat(Guards.sideTableQuid(plain)).isNull();

    // The sequence woven at a write to a field of an unwoven class.
    if (Guards.sideTableFlag(Unwoven.class).armed()) {
      final Quid q = Guards.sideTableQuid(o);
      if (q != null) {
        Guards.beforeWrite(o, q, Unwoven.class, "mode");
        o.mode = 3;
        Guards.afterWrite(q, Unwoven.class, "mode");
      }
    }
    assertThat(r.causes).containsExactly(new GuardedLocation(o, Unwoven.class, "mode"));
  }

  @Test
  void theSideTableDoesNotKeepItsObjectsAlive() throws Exception {
    final java.lang.ref.WeakReference<Unwoven> ref = guardedGarbage();
    for (int i = 0; i < 100 && ref.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(ref.get()).as("the object is collected although it has a side-table QUID").isNull();
  }

  /** Makes an unwoven object with a side-table QUID and keeps no strong reference to it (the recorder holds none). */
  private static java.lang.ref.WeakReference<Unwoven> guardedGarbage() {
    final Unwoven o = new Unwoven();
    Guards.register(new Recorder(), o, Unwoven.class, "mode");
    assertThat(Guards.sideTableQuid(o)).isNotNull();
    return new java.lang.ref.WeakReference<>(o);
  }

  @Test
  void aRacedWriteInvalidatesAfterTheFactAndEndsItsWrite() {
    final WovenByHand o = new WovenByHand(80);
    final Recorder r = new Recorder();
    Guards.register(r, o, WovenByHand.class, "port");
    o.port = 81; // the strict fast path stored, then found the QUID
    Guards.racedWrite(o, Guards.existingQuid(o), WovenByHand.class, "port");
    assertThat(r.causes).containsExactly(new GuardedLocation(o, WovenByHand.class, "port"));
    assertThat(Guards.register(new Recorder(), o, WovenByHand.class, "port").unchanged()).isTrue();
  }

  @Test
  void aRacedStaticWriteInvalidatesTheStaticDependents() {
    final Recorder r = new Recorder();
    Guards.register(r, null, WovenByHand.class, "limit");
    Guards.racedStaticWrite(WovenByHand.$quasi$flag$limit);
    assertThat(r.causes).containsExactly(new GuardedLocation(null, WovenByHand.class, "limit"));
  }

  @Test
  void aFieldOfAnUnwovenSuperclassOfAWovenObjectArmsTheSideTableFlags() {
    final WovenChildOfUnwoven o = new WovenChildOfUnwoven();
    assertThat(Guards.sideTableFlag(WovenChildOfUnwoven.class).armed()).isFalse();
    Guards.register(new Recorder(), o, Unwoven.class, "mode");
    assertThat(Guards.sideTableFlag(WovenChildOfUnwoven.class).armed()).isTrue();
    assertThat(Guards.existingQuid(o)).as("the QUID is in the woven field").isSameAs(o.$quasi$quid());
    assertThat(Guards.sideTableQuid(o)).isNull();
  }

  /** A woven class (by hand) whose superclass was not woven. */
  static final class WovenChildOfUnwoven extends Unwoven implements QuidHolder {
    private volatile Quid $quasi$quid;

    @Override
    public Quid $quasi$quid() {
      return $quasi$quid;
    }

    @Override
    public void $quasi$setQuid(final Quid quid) {
      $quasi$quid = quid;
    }
  }
}
