package org.quasi.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.quasi.runtime.internal.InvalidateEvent;

/**
 * A specialized version of a function, plugged into a {@link Replugger} while the guarded locations it relies on keep
 * their values: the {@link Dependent} the version manager makes for each specialization.
 *
 * <p><b>State machine</b> (one way): <em>pending</em> (made, registering its dependencies) → <em>plugged</em>
 * ({@link #plug} succeeded) → <em>invalid</em>; or <em>pending</em> → <em>invalid</em> (a guarded write fired before
 * the plug, or {@link #discard}).
 *
 * <p><b>Protocol.</b>
 * <pre>{@code
 * Version<Fn> v = Version.of(replugger, specialized, generic, "filter for port 80");
 * v.dependOn(rule, Rule.class, "port");              // installs the QUID, registers, records the stamp
 * boolean plugged = v.plug(() -> rule.port == 80);   // re-read what the code relies on, then plug
 * }</pre>
 * ({@code VersionTest#pluggedVersionIsReplacedByItsFallbackWhenAGuardFires} runs this.) {@link #plug} plugs only if
 * the version is still pending, every registration is unchanged (no guarded write began since it), and the re-read
 * confirms the values; otherwise it leaves the replugger alone and the version becomes invalid.
 *
 * <p><b>Invalidation.</b> {@link #invalidate} (called by a guarded write, in the writing thread) marks the version
 * invalid, and if it is the replugger's target, replugs the fallback: with a {@link CountingReplugger} it returns only
 * when no call is inside this version any more. Plugging and unplugging both hold the replugger's monitor, so an
 * invalidation racing with a plug either prevents it or undoes it before returning. Then the {@code onInvalidated}
 * callback runs (the version manager's hook to re-specialize later), and the version cancels its registrations.
 *
 * <p><b>Observability.</b> Each invalidation is a JFR event {@code org.quasi.Invalidate} (version, location,
 * whether it replugged; its duration is the replug's), visible in JDK Mission Control under "Quasi".
 *
 * <p><b>Cost.</b> Registering: a QUID install (once per object) and a lock. Plugging and unplugging: one replug
 * (deoptimization of compiled callers).
 *
 * @implNote A guarded write performed from inside a call through the same {@link CountingReplugger} cannot wait for
 *     itself: the replug throws {@link IllegalStateException}, the write does not happen, and the exception reaches
 *     the writing code. Write quasi-invariants outside the specialized entry.
 * @param <T> the functional interface of the replugger
 * @since 0.1
 */
public final class Version<T> implements Dependent {

  private enum State { PENDING, PLUGGED, INVALID }

  /** The development tool watching every version (MemGuard), or {@code null}: see {@link VersionObserver}. */
  private static volatile VersionObserver observer;

  private final Replugger<T> replugger;
  private final T code;
  private final T fallback;
  /** Says what this version is, once asked ({@link #description()}). */
  private final Supplier<String> describe;
  /** {@link #describe}'s answer, once asked; a race computes it twice, to equal strings. */
  private volatile String description;
  private final Consumer<? super Version<T>> onInvalidated;
  private final AtomicReference<State> state = new AtomicReference<>(State.PENDING);
  private final List<GuardRegistration> registrations = new ArrayList<>();
  private volatile GuardedLocation invalidatedBy;
  /** What {@link #plug} gave the replugger: {@link #code}, or the observer's wrapper around it. */
  private volatile T plugged;

  private Version(final Replugger<T> replugger, final T code, final T fallback, final Supplier<String> describe,
      final Consumer<? super Version<T>> onInvalidated) {
    this.replugger = Objects.requireNonNull(replugger, "replugger");
    this.code = Objects.requireNonNull(code, "code");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
    this.describe = Objects.requireNonNull(describe, "description");
    this.onInvalidated = onInvalidated;
  }

  /** A pending version of {@code code} for {@code replugger}, replaced by {@code fallback} when invalidated. */
  public static <T> Version<T> of(final Replugger<T> replugger, final T code, final T fallback,
      final String description) {
    Objects.requireNonNull(description, "description");
    return new Version<>(replugger, code, fallback, () -> description, null);
  }

  /** Like {@link #of}, with a callback run (in the invalidating thread) after the fallback is plugged. */
  public static <T> Version<T> of(final Replugger<T> replugger, final T code, final T fallback,
      final String description, final Consumer<? super Version<T>> onInvalidated) {
    Objects.requireNonNull(description, "description");
    return of(replugger, code, fallback, () -> description, onInvalidated);
  }

  /**
   * Like {@link #of(Replugger, Object, Object, String, Consumer)}, with the description made when first asked for (an
   * event, a message, {@code toString}): a version manager makes versions as cold code, and a description that
   * prints its key objects would cost more than the rest of its bookkeeping.
   */
  public static <T> Version<T> of(final Replugger<T> replugger, final T code, final T fallback,
      final Supplier<String> description, final Consumer<? super Version<T>> onInvalidated) {
    return new Version<>(replugger, code, fallback, description, Objects.requireNonNull(onInvalidated));
  }

  /**
   * Installs {@code newObserver} for every version made from now on and every later operation of existing ones
   * ({@code null} removes it). Versions plugged before keep what they plugged.
   */
  public static void observe(final VersionObserver newObserver) {
    observer = newObserver;
  }

  /**
   * Registers this version on {@code owner.field} of {@code object} ({@code null} for a static field).
   *
   * @throws IllegalStateException if the version is no longer pending
   */
  public Version<T> dependOn(final Object object, final Class<?> owner, final String field) {
    if (state.get() != State.PENDING) {
      throw new IllegalStateException("dependOn on " + this + ": dependencies are added only while pending");
    }
    final GuardRegistration r = Guards.register(this, object, owner, field);
    synchronized (registrations) {
      registrations.add(r);
    }
    final VersionObserver o = observer;
    if (o != null) {
      o.dependencyAdded(this, object, owner, field);
    }
    return this;
  }

  /**
   * Plugs this version if it is still pending, no guarded write began on any of its locations since it registered,
   * and {@code valuesStillHold} (a re-read of every value the code relies on) returns {@code true}. Otherwise the
   * version becomes invalid and the replugger is left alone.
   *
   * @return whether the version is plugged
   */
  public boolean plug(final BooleanSupplier valuesStillHold) {
    synchronized (replugger) {
      if (state.get() != State.PENDING || !registrationsUnchanged() || !valuesStillHold.getAsBoolean()) {
        discard();
        return false;
      }
      if (!state.compareAndSet(State.PENDING, State.PLUGGED)) {
        discard();
        return false;
      }
      final VersionObserver o = observer;
      final T toPlug = o == null ? code : o.plugging(this, code, replugger.type());
      plugged = toPlug;
      replugger.replug(toPlug);
      return true;
    }
  }

  @Override
  public void invalidate(final GuardedLocation cause) {
    final State was = state.getAndSet(State.INVALID);
    if (was == State.INVALID) {
      return;
    }
    invalidatedBy = cause;
    final InvalidateEvent event = new InvalidateEvent();
    event.begin();
    boolean replugged = false;
    synchronized (replugger) {
      final T current = replugger.target();
      if (current == code || current == plugged) {
        replugger.replug(fallback);
        replugged = true;
      }
    }
    event.end();
    if (event.shouldCommit()) {
      event.version = description();
      event.location = String.valueOf(cause);
      event.replugged = replugged;
      event.commit();
    }
    cancelRegistrations();
    notifyInvalidated();
    if (onInvalidated != null) {
      onInvalidated.accept(this);
    }
  }

  /** Abandons a pending version (or invalidates a plugged one, replugging its fallback). */
  public void discard() {
    if (state.get() == State.PLUGGED) {
      invalidate(null);
      return;
    }
    state.set(State.INVALID);
    cancelRegistrations();
    notifyInvalidated();
  }

  private void notifyInvalidated() {
    final VersionObserver o = observer;
    if (o != null) {
      o.invalidated(this);
    }
  }

  @Override
  public boolean isValid() {
    return state.get() != State.INVALID;
  }

  /** Returns whether this version is plugged and valid. */
  public boolean isPlugged() {
    return state.get() == State.PLUGGED;
  }

  /** The location whose guarded write invalidated this version, or {@code null}. */
  public GuardedLocation invalidatedBy() {
    return invalidatedBy;
  }

  /** The specialized code. */
  public T code() {
    return code;
  }

  /** What the caller said this version is. */
  public String description() {
    String d = description;
    if (d == null) {
      d = Objects.requireNonNull(describe.get(), "description");
      description = d;
    }
    return d;
  }

  private boolean registrationsUnchanged() {
    synchronized (registrations) {
      // Indexed: this loop runs as cold code over hundreds of registrations, an iterator's calls interpreted.
      for (int i = 0; i < registrations.size(); i++) {
        if (!registrations.get(i).unchanged()) {
          return false;
        }
      }
      return true;
    }
  }

  private void cancelRegistrations() {
    final List<GuardRegistration> copy;
    synchronized (registrations) {
      copy = new ArrayList<>(registrations);
      registrations.clear();
    }
    for (int i = 0; i < copy.size(); i++) {
      copy.get(i).cancel();
    }
  }

  @Override
  public String toString() {
    return "Version[" + description() + ", " + state.get() + "]";
  }
}
