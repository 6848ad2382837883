package org.quasi.memguard.jdi.internal;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells guarded writes from unguarded ones at a watchpoint.
 *
 * <p>A field-modification event says only which field of which object a thread is about to store; a woven guarded
 * write stores with the same {@code putfield} as an unguarded one. What sets it apart is what ran just before: the
 * slow path of a guarded write calls {@code Guards.beforeWrite(object, quid, owner, field)} (or
 * {@code Guards.beforeStaticWrite(flag)}) and then, a few instructions later in the same frame, stores. So MemGuard
 * sets a breakpoint on those two methods and remembers, per thread, the pending guarded write: its object and field,
 * the frame that called the guard (its depth and method) and the bytecode index of the call. A watchpoint event is a
 * guarded write when it consumes such a pending write: same thread, same object (or static), same field name, same
 * frame depth and method, and a store within {@link #WINDOW} bytes after the call — the woven sequence reloads the
 * receiver and value from locals and stores, nothing else (see quasi-agent's {@code WriteSiteRewriter}).
 *
 * <p>A guard whose invalidation throws leaves its pending write behind, but no later write can consume it: the next
 * store in that frame is at another index or the frame is gone; a pending write is replaced by the thread's next
 * guard call in any case.
 *
 * <p>A woven write site whose object has no QUID yet takes the fast path, a plain {@code putfield} with no call: no
 * dependent relies on such an object, so the write breaks nothing, but this class cannot tell it from an unguarded
 * store and it is reported. MemGuard's {@code protect} installs the object's QUID, so protected objects always take
 * the slow path.
 */
final class GuardedWrites {

    /** How many bytes of code may separate the guard's {@code invokestatic} from its store (3 + up to 4 + 4 + 3). */
    static final int WINDOW = 16;

    /** A guard call seen at a breakpoint, waiting for its store. */
    private record Pending(boolean isStatic, long objectId, String field, int depth, Location caller) {
    }

    private final Map<ThreadReference, Pending> pending = new HashMap<>();

    /**
     * Records the guarded write announced by a breakpoint at the entry of {@code Guards.beforeWrite} or
     * {@code Guards.beforeStaticWrite}; the event's thread is suspended.
     */
    void guardCalled(BreakpointEvent event) throws IncompatibleThreadStateException {
        ThreadReference thread = event.thread();
        List<StackFrame> frames = thread.frames(0, 2);
        if (frames.size() < 2) {
            return;
        }
        StackFrame guard = frames.get(0);
        List<Value> arguments = guard.getArgumentValues();
        boolean isStatic = !event.location().method().name().equals("beforeWrite");
        long objectId = -1;
        String field = null;
        if (!isStatic) {
            ObjectReference object = (ObjectReference) arguments.get(0);
            objectId = object == null ? -1 : object.uniqueID();
            field = arguments.get(3) instanceof StringReference name ? name.value() : null;
        }
        // For a static write the flag names its field only as text; the store's frame and index pin it down.
        pending.put(thread, new Pending(isStatic, objectId, field, thread.frameCount() - 1, frames.get(1).location()));
    }

    /** Whether the event is the store of the thread's pending guarded write; consumes it if so. */
    boolean isGuarded(ModificationWatchpointEvent event) throws IncompatibleThreadStateException {
        ThreadReference thread = event.thread();
        Pending p = pending.get(thread);
        if (p == null) {
            return false;
        }
        Location store = event.location();
        boolean sameTarget = event.object() == null
                ? p.isStatic
                : !p.isStatic && p.objectId == event.object().uniqueID() && event.field().name().equals(p.field);
        long distance = store.codeIndex() - p.caller.codeIndex();
        boolean sameFrame = store.method().equals(p.caller.method()) && distance > 0 && distance <= WINDOW
                && thread.frameCount() == p.depth;
        if (sameTarget && sameFrame) {
            pending.remove(thread);
            return true;
        }
        return false;
    }

    /** Forgets a thread's pending write (the thread ended). */
    void forget(ThreadReference thread) {
        pending.remove(thread);
    }
}
