package org.quasi.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a field a <em>quasi-invariant</em>: a value that is written rarely (typically once, while the object or
 * class is set up) and read often, so that code may be specialized on it as long as every write is guarded.
 *
 * <p>The annotation has no effect at run time. Quasi's tools read it from class files: {@code ./quasi guards} (module
 * quasi-typeguard) reports every instruction and every reflective or native hole that can write an annotated field,
 * and later tools specialize and guard on it. The same declaration can instead be written in a spec file
 * ({@code quasi-invariant com.example.Task.uid}), for code whose source cannot be changed.
 *
 * <p>Example, checked by {@code TypeGuardFixtureTest}:
 * <pre>{@code
 * final class Task {
 *   @QuasiInvariant int uid;
 * }
 * }</pre>
 *
 * @apiNote The retention is {@link RetentionPolicy#CLASS}: the declaration lives in the class file, where the
 *     analysis reads it, and costs nothing at run time.
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.FIELD)
public @interface QuasiInvariant {
}
