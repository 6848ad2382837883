package org.quasi.typeguard.spec;

import java.util.List;
import java.util.Objects;

/**
 * One {@code entry} line of a spec file (format 2): a method to dispatch through a specialized entry point, its keys
 * and its policy.
 *
 * <pre>{@code
 * entry org.quasi.cases.signals.Kernel.sysKill(II)I keys this.current, arg0, arg1 after 2 versions 8
 * }</pre>
 *
 * @param owner      the binary name of the class declaring the method, with dots ({@code com.x.Outer$Inner})
 * @param name       the method name
 * @param descriptor the method's JVM descriptor, such as {@code (II)I}: overloads are never ambiguous
 * @param keys       the keys as written: {@code this}, {@code this.FIELD}, {@code argN} or {@code argN.FIELD}, where
 *                   {@code N} counts the declared parameters from 0 (the receiver is {@code this})
 * @param after      calls with one key before it is specialized, or 0 for the default
 * @param versions   versions kept at once, or 0 for the default
 * @param backoff    invalidations of one key after which it stays generic, or 0 for the default
 * @param replugger  {@code "counting"}, {@code "simple"}, or {@code null} for the default (counting)
 * @param background whether the line says {@code background}: keys are specialized off the calling thread
 * @param file       the spec file the line came from
 * @param line       the 1-based line
 * @since 0.1
 */
public record SpecEntryPoint(String owner, String name, String descriptor, List<String> keys, int after,
    int versions, int backoff, String replugger, boolean background, String file, int line) {

  /** Checks that nothing required is null and copies the keys. */
  public SpecEntryPoint {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(descriptor, "descriptor");
    keys = List.copyOf(keys);
    Objects.requireNonNull(file, "file");
  }

  /** {@return {@code owner.name(descriptor)}, the form the spec line and messages use} */
  public String method() {
    return owner + "." + name + descriptor;
  }

  /** {@return {@code FILE:LINE}} */
  public String where() {
    return file + ":" + line;
  }
}
