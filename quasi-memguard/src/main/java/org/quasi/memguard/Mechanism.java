package org.quasi.memguard;

/**
 * Which of MemGuard's mechanisms caught an unguarded write (issue 8). No single one sees every write on the JVM,
 * so each names what it covers and what it misses.
 */
public enum Mechanism {
    /**
     * Agent traps: call sites rewritten at load time ({@code putfield}/{@code putstatic} in unwoven code,
     * reflection, method handle setters, var handles, field updaters, Unsafe puts). Reports the write as it
     * happens, with the writing frame. Misses JNI.
     */
    AGENT_TRAP,
    /**
     * JDWP field-modification watchpoints through a debugger connection; also sees JNI {@code Set<Type>Field}.
     */
    JDWP_WATCH,
    /**
     * The verifier: re-reads a version's dependencies on entry to specialized code and reports those that changed
     * without a guarded write. Sees writes from anywhere, but only at the first checked use after them, so its
     * stack is the reader's, not the writer's.
     */
    VERIFIER
}
