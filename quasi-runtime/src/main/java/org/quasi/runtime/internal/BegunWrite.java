package org.quasi.runtime.internal;

import org.quasi.runtime.GuardFlag;
import org.quasi.runtime.Guards;
import org.quasi.runtime.Quid;

/**
 * A guarded write begun outside woven code (through a method handle, a var handle or {@code Unsafe}): the token that
 * {@code HandleWrites.begin} and {@code UnsafeWrites.begin} return and their {@code end} finishes. Exactly one of
 * {@code quid} (an instance field of a guarded object) and {@code flag} (a guarded static field) is non-null.
 *
 * @param quid the written object's QUID, or null for a static field
 * @param flag the static field's guard flag, or null for an instance field
 * @param declaring the class declaring the field written
 * @param name the field's name
 */
public record BegunWrite(Quid quid, GuardFlag flag, Class<?> declaring, String name) {
  /**
   * Finishes the write as woven code does after the store: {@link Guards#afterStaticWrite} or
   * {@link Guards#afterWrite}.
   */
  public void end() {
    if (flag != null) {
      Guards.afterStaticWrite(flag);
    } else {
      Guards.afterWrite(quid, declaring, name);
    }
  }
}
