package org.quasi.runtime;

import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.quasi.runtime.internal.FieldGuard;
import org.quasi.runtime.internal.IdentityWeakTable;
import org.quasi.runtime.internal.UnguardedFields;

/**
 * Guarded writes (the paper's §3.2.3): what woven write sites call, and what dependents register with.
 *
 * <p><b>A woven write.</b> For an instance quasi-invariant field {@code f} of a woven class (quasi-agent), the write
 * {@code o.f = v} becomes
 * <pre>{@code
 * Quid q = o.$quasi$quid;                 // volatile load
 * if (q == null) { o.f = v; }             // fast path: nothing ever relied on o
 * else { Guards.beforeWrite(o, q, Owner.class, "f"); o.f = v; Guards.afterWrite(q, Owner.class, "f"); }
 * }</pre>
 * For a static quasi-invariant field the test is {@code Owner.$quasi$flag$f.armed()} (a {@link GuardFlag} in a static
 * final field) and the slow path {@link #beforeStaticWrite}/{@link #afterStaticWrite}. For a field of a class that
 * could not be woven the site tests the class's side-table flag ({@link #sideTableFlag}) and then looks the QUID up
 * with {@link #existingQuid}. {@code GuardsTest} runs each of these sequences written by hand.
 *
 * <p><b>Slow path.</b> {@link #beforeWrite} bumps the field's version stamp, takes every dependent registered on the
 * (object, field) and {@linkplain Dependent#invalidate invalidates} it (a plugged version replugs its fallback and, with
 * a counting replugger, waits for the calls inside it), then returns; the woven code stores, then
 * {@link #afterWrite} bumps the stamp again. A dependent registering while a write is between the two calls gets a
 * registration that is never {@linkplain GuardRegistration#unchanged unchanged}, so it is never plugged.
 *
 * <p><b>What is guaranteed.</b> Let a dependent D register on location L ({@link #register}), then re-read L's value
 * and find the value it relied on, then be plugged only if its registration is still unchanged and D is valid (what
 * {@link Version#plug} does). Then, for every guarded write W to L whose slow path runs (the QUID or flag was seen
 * non-null/armed): either W's {@code beforeWrite} invalidates D, and D's code is unplugged before W's store; or W's
 * {@code afterWrite} happened-before D's registration, so D's re-read saw W's value; or W was in progress at the
 * registration, and D is never plugged. In each case no call that starts after W returns runs D with the old value.
 *
 * @implNote <b>Default mode: the first install races with a fast-path write.</b> The fast path is a volatile load of
 *     the QUID (or flag) followed by a plain store. A writer may load {@code null}, then the version manager install
 *     the QUID, register, and re-read the old value, and only then the writer's store land: the version stays plugged
 *     with a stale value. This is a check-then-act race (it exists even under sequential consistency), and the paper's
 *     one-null-check guard does not pay for closing it. In the default mode Quasi therefore guarantees the property
 *     above only for writes that start after {@link #quidOf} (or the arming of the flag) returned in the registering
 *     thread, or that are otherwise ordered after it (same thread, a lock, a volatile, a thread start). In practice:
 *     specialize on objects after they have been set up and published, which is what a quasi-invariant is. The race
 *     window is a handful of instructions and is not detected.
 * @implNote <b>Strict mode</b> (quasi-agent's {@code strict} option, {@code ./quasi weave --strict}) closes that race.
 *     A strict site whose first test found no QUID stores, then runs {@link VarHandle#fullFence()} (a StoreLoad
 *     fence: a locked instruction on x86, some nanoseconds) and tests the QUID (or flag) again; if one appeared, it
 *     calls {@link #racedWrite} (or {@link #racedStaticWrite}), which invalidates every dependent of the location
 *     after the fact. The installing side fences too: {@link #quidOf} and the arming of a flag run a full fence after
 *     their volatile store. With a fence between each side's store and its later load, the two fences are ordered
 *     (the JDK 9 memory-order modes give {@code fullFence} the semantics of a sequentially consistent fence): either
 *     the writer's second test sees the QUID and invalidates whatever registered before, or the registrar's re-read,
 *     which comes after its fence, sees the writer's store and the version is built on the new value. A strict write
 *     that finds the QUID at its first test takes the ordinary slow path (invalidate, store, end), so the counting
 *     replugger's promise (no call inside the old version when the store lands) is kept whenever a dependent was
 *     registered before the write began; only a write that raced with the install invalidates after its store.
 * @implNote <b>Batches.</b> Consecutive guarded writes to one object that nothing between them can observe (the woven
 *     code checks this: the values are constants, locals or arithmetic that cannot throw; no call, field load, monitor,
 *     store to a local or branch target in between) read the QUID once, before the first store, and store the values
 *     one after another when it is {@code null}; when it is not, each store runs its own slow path in the original
 *     order. This changes no behaviour another thread may observe under the Java Memory Model: the stores are the same
 *     plain stores in the same order, and a volatile read is an acquire, which can only order accesses that follow it
 *     after writes of other threads that precede it (hb edges into the writer), never make the writer's own stores
 *     visible earlier or later to anyone; the dropped reads only fed the guard's own decision, and a QUID installed
 *     during the batch is the race above (closed in strict mode by one fence and one re-test after the batch, the
 *     paper's "check once after the batch"). The check is not moved after the stores in the default mode: an
 *     invalidation after the store would let a call inside the old version run while the new value is in memory,
 *     which breaks the counting replugger's promise; strict mode accepts that only for writes that raced the install.
 * @since 0.1
 */
public final class Guards {

  /** Serializes QUID installation in woven objects; striped by identity hash, never the object's own monitor. */
  private static final Object[] INSTALL_LOCKS = new Object[64];

  static {
    for (int i = 0; i < INSTALL_LOCKS.length; i++) {
      INSTALL_LOCKS[i] = new Object();
    }
  }

  /** QUIDs of objects whose class was not woven. */
  private static final IdentityWeakTable<Quid> SIDE_TABLE = new IdentityWeakTable<>();

  /** Whether any QUID went into the side table: until then {@link #existingQuid} need not take its lock. */
  private static volatile boolean sideTableUsed;

  /** Per class: the side-table flag ("some instance has a QUID in the side table"). */
  private static final ClassValue<GuardFlag> CLASS_FLAGS = new ClassValue<>() {
    @Override
    protected GuardFlag computeValue(final Class<?> type) {
      return new GuardFlag(null, "side table of " + type.getName());
    }
  };

  /** Per class: the flags of its static quasi-invariant fields, by field name. */
  private static final ClassValue<ConcurrentHashMap<String, GuardFlag>> STATIC_FLAGS = new ClassValue<>() {
    @Override
    protected ConcurrentHashMap<String, GuardFlag> computeValue(final Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  private Guards() {
  }

  // -----------------------------------------------------------------------------------------------------------------
  // QUIDs and flags
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Returns the QUID of {@code object}, installing one when it has none: in its synthetic field when its class was
   * woven ({@link QuidHolder}), else in the side table, arming the side-table flag of its class and every superclass.
   * The installing store is volatile and happens-before this method returns.
   */
  public static Quid quidOf(final Object object) {
    Objects.requireNonNull(object, "object");
    if (object instanceof QuidHolder holder) {
      final Quid seen = holder.$quasi$quid();
      if (seen != null) {
        return seen;
      }
      synchronized (INSTALL_LOCKS[System.identityHashCode(object) & (INSTALL_LOCKS.length - 1)]) {
        final Quid again = holder.$quasi$quid();
        if (again != null) {
          return again;
        }
        final Quid made = new Quid();
        holder.$quasi$setQuid(made);
        // The registrar's half of strict mode: the install is ordered before every later load (the re-read).
        VarHandle.fullFence();
        return made;
      }
    }
    sideTableUsed = true;
    armSideTableFlags(object.getClass());
    return SIDE_TABLE.computeIfAbsent(object, o -> new Quid());
  }

  /** Arms the side-table flag of {@code type} and every superclass (each arm ends with a full fence). */
  private static void armSideTableFlags(final Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      CLASS_FLAGS.get(c).arm();
    }
  }

  /**
   * Returns the QUID of {@code object} if it has one, without installing one. This is also the second test of a woven
   * write to a field declared by a class that could not be woven, once the side-table flag of the field reference's
   * class is armed: the QUID may be in a woven subclass's synthetic field or in the side table.
   */
  public static Quid existingQuid(final Object object) {
    Objects.requireNonNull(object, "object");
    if (object instanceof QuidHolder holder) {
      return holder.$quasi$quid();
    }
    return sideTableUsed ? SIDE_TABLE.get(object) : null;
  }

  /** Returns the flag of the static quasi-invariant field {@code owner.field} (the same object for every call). */
  public static GuardFlag staticFlag(final Class<?> owner, final String field) {
    Objects.requireNonNull(field, "field");
    return STATIC_FLAGS.get(owner).computeIfAbsent(field,
        f -> new GuardFlag(new FieldGuard(owner, f), "static " + owner.getName() + "." + f));
  }

  /** Returns the side-table flag of {@code type}: armed once some instance of it (or a subclass) got a QUID there. */
  public static GuardFlag sideTableFlag(final Class<?> type) {
    return CLASS_FLAGS.get(type);
  }

  /** Returns the side-table QUID of {@code object}, or {@code null}. */
  public static Quid sideTableQuid(final Object object) {
    return SIDE_TABLE.get(object);
  }


  // -----------------------------------------------------------------------------------------------------------------
  // Registration
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Registers {@code dependent} on {@code owner.field} of {@code object} ({@code null} for a static field), installing
   * the QUID or arming the static flag first. Call this before re-reading the value the dependent relies on; plug
   * only if the registration is still {@linkplain GuardRegistration#unchanged unchanged} afterwards.
   */
  public static GuardRegistration register(final Dependent dependent, final Object object, final Class<?> owner,
      final String field) {
    Objects.requireNonNull(dependent, "dependent");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(field, "field");
    final FieldGuard guard;
    if (object == null) {
      final GuardFlag flag = staticFlag(owner, field);
      flag.arm();
      guard = flag.staticGuard();
    } else {
      final Quid quid = quidOf(object);
      if (object instanceof QuidHolder && !QuidHolder.class.isAssignableFrom(owner)) {
        // A field declared by an unwoven superclass of a woven object: its write sites test the side-table flags.
        armSideTableFlags(object.getClass());
      }
      guard = quid.guard(owner, field);
    }
    return new GuardRegistration(guard, dependent, guard.register(dependent));
  }

  /**
   * Says that loaded code writes {@code owner.field} ({@code owner} a binary name) with no guard, for {@code why}
   * (quasi-agent calls this for a class it could not weave, before the class is defined). Every dependent now relying
   * on that field, of any object, is invalidated (its location names no object); a later registration on it is never
   * {@linkplain GuardRegistration#unchanged unchanged}, so nothing relying on it is plugged again. The first reason
   * given for a field stays. There is no way back: a class, once defined, may write at any time.
   *
   * @throws RuntimeException the first exception a dependent's invalidation threw, after all were attempted
   */
  public static void writtenWithoutGuard(final String owner, final String field, final String why) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(field, "field");
    UnguardedFields.mark(owner, field, Objects.requireNonNull(why, "why"));
  }

  /**
   * Why {@code owner.field} is written without a guard ({@link #writtenWithoutGuard}), or {@code null}: a version
   * manager declines to rely on such a field, with this reason.
   */
  public static String unguardedWriter(final Class<?> owner, final String field) {
    return UnguardedFields.reason(owner.getName(), field);
  }

  // -----------------------------------------------------------------------------------------------------------------
  // Slow paths of woven write sites
  // -----------------------------------------------------------------------------------------------------------------

  /**
   * Slow path of a guarded write to {@code owner.field} of {@code object}, whose QUID is {@code quid}: invalidates
   * every dependent of that field of that object, then returns so that the woven code stores. Must be followed by
   * {@link #afterWrite} once the store is done. If a dependent's invalidation throws, the write is ended here and the
   * exception propagates: the woven code does not store.
   */
  public static void beforeWrite(final Object object, final Quid quid, final Class<?> owner, final String field) {
    quid.guard(owner, field).beginWrite(object);
  }

  /** Ends the guarded write begun by {@link #beforeWrite}. */
  public static void afterWrite(final Quid quid, final Class<?> owner, final String field) {
    quid.guard(owner, field).endWrite();
  }

  /**
   * Strict mode: a write to {@code owner.field} of {@code object} stored on the fast path, then found the QUID
   * {@code quid} installed after its first test. Invalidates every dependent of the location, as a
   * {@link #beforeWrite}/{@link #afterWrite} pair around a store that already happened.
   */
  public static void racedWrite(final Object object, final Quid quid, final Class<?> owner, final String field) {
    final FieldGuard guard = quid.guard(owner, field);
    guard.beginWrite(object);
    guard.endWrite();
  }

  /** Strict mode: a static write stored on the fast path, then found its flag armed. */
  public static void racedStaticWrite(final GuardFlag flag) {
    flag.staticGuard().beginWrite(null);
    flag.staticGuard().endWrite();
  }

  /** Slow path of a guarded write to a static quasi-invariant field whose flag is armed. */
  public static void beforeStaticWrite(final GuardFlag flag) {
    flag.staticGuard().beginWrite(null);
  }

  /** Ends the guarded static write begun by {@link #beforeStaticWrite}. */
  public static void afterStaticWrite(final GuardFlag flag) {
    flag.staticGuard().endWrite();
  }
}
