package org.quasi.runtime;

/**
 * Watches every {@link Version}: the hook through which a development tool (MemGuard, quasi-memguard) protects the
 * locations specialized code relies on and checks them on entry, without the runtime depending on it.
 *
 * <p>At most one observer is installed ({@link Version#observe}); with none, a version pays one static volatile
 * read per {@link Version#dependOn} and {@link Version#plug}, and nothing per call. Callbacks run in the thread that
 * performs the operation, under no lock of the runtime except where stated; they must not throw.
 *
 * @since 0.1
 */
public interface VersionObserver {

  /** {@code version} now relies on {@code owner.field} of {@code object} ({@code null} for a static field). */
  void dependencyAdded(Version<?> version, Object object, Class<?> owner, String field);

  /**
   * Called under the replugger's monitor just before {@code version} plugs {@code code}: returns what to plug
   * instead, an object implementing {@code type} that calls {@code code} (for instance after checking the
   * dependencies), or {@code code} itself.
   */
  <T> T plugging(Version<T> version, T code, Class<T> type);

  /** {@code version} became invalid (a guarded write, or discarded); it relies on nothing any more. */
  void invalidated(Version<?> version);
}
