package org.quasi.memguard;

import java.util.List;
import java.util.Objects;

/**
 * One write to a protected quasi-invariant that did not go through a guard, as a mechanism saw it.
 *
 * @param mechanism which mechanism caught it
 * @param how       the kind of write: {@code "putfield"}, {@code "putstatic"}, {@code "Field.set"},
 *                  {@code "MethodHandle setter"}, {@code "VarHandle.set"}, {@code "AtomicIntegerFieldUpdater.set"},
 *                  {@code "Unsafe.putInt"}, {@code "JNI SetIntField"}, {@code "unknown (seen by the verifier)"} …
 * @param thread    name of the writing (for the verifier: the reading) thread
 * @param stack     the stack of that thread, innermost first, MemGuard's own frames removed
 * @param object    {@code "ClassName@identityHashHex"}, or {@code "static"} for a static field
 * @param owner     binary name of the class declaring the field (for an array element: the array's class name)
 * @param field     the field's name, or {@code "[i]"} for an array element
 * @param oldValue  the value before the write, as text
 * @param newValue  the value written, as text
 */
public record UnguardedWrite(Mechanism mechanism, String how, String thread, List<StackTraceElement> stack,
                             String object, String owner, String field, String oldValue, String newValue) {

    /** Copies the stack so the record stays immutable; rejects nulls except in the two values. */
    public UnguardedWrite {
        Objects.requireNonNull(mechanism, "mechanism");
        Objects.requireNonNull(how, "how");
        Objects.requireNonNull(thread, "thread");
        stack = List.copyOf(stack);
        Objects.requireNonNull(object, "object");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(field, "field");
        oldValue = String.valueOf(oldValue);
        newValue = String.valueOf(newValue);
    }

    /**
     * The writing site: the first frame outside MemGuard's and Quasi's own code and the JDK's invocation machinery,
     * as {@code Class.method(File:line)};
     * {@code "(no frame)"} when the stack holds none.
     */
    public String site() {
        for (StackTraceElement frame : stack) {
            if (!isQuasiFrame(frame.getClassName())) {
                return frame(frame);
            }
        }
        return "(no frame)";
    }

    /** {@code Class.method(File:line)}, without the loader and module prefixes of {@link StackTraceElement#toString()}. */
    static String frame(StackTraceElement frame) {
        String where = frame.getFileName() == null ? "Unknown Source"
                : frame.getLineNumber() >= 0 ? frame.getFileName() + ":" + frame.getLineNumber() : frame.getFileName();
        return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
    }

    private static boolean isQuasiFrame(String className) {
        return className.startsWith("org.quasi.memguard.internal.") || className.startsWith("org.quasi.memguard.jdi.")
                || className.startsWith("org.quasi.memguard.MemGuard") || className.startsWith("org.quasi.runtime.")
                || className.startsWith("org.quasi.agent.") || className.startsWith("org.quasi.versions.")
                // The JDK's invocation machinery between Quasi and the program: handles, proxies, reflection.
                || className.startsWith("java.lang.invoke.") || className.startsWith("jdk.proxy")
                || className.startsWith("com.sun.proxy.") || className.startsWith("java.lang.reflect.")
                || className.startsWith("jdk.internal.reflect.");
    }
}
