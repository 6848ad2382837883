package org.quasi.memguard.jdi.internal;

import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ModificationWatchpointRequest;
import com.sun.jdi.VirtualMachine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Follows the objects the program protects at run time with {@code MemGuard.protect} and releases with
 * {@code MemGuard.release}, through breakpoints on the entry of those methods, and keeps one watchpoint with an
 * instance filter per protected (object, field) — or one plain watchpoint per protected static field.
 */
final class ProtectionTracker {

    static final String MEMGUARD = "org.quasi.memguard.MemGuard";

    private final EventRequestManager requests;
    private final BiFunction<Field, ObjectReference, ModificationWatchpointRequest> watch;
    private final Map<String, ModificationWatchpointRequest> watched = new HashMap<>();

    ProtectionTracker(VirtualMachine vm, BiFunction<Field, ObjectReference, ModificationWatchpointRequest> watch) {
        this.requests = vm.eventRequestManager();
        this.watch = watch;
    }

    /** The classes whose preparation this tracker needs to hear of. */
    List<String> classNames() {
        return List.of(MEMGUARD);
    }

    /** Sets the breakpoints when {@code type} is MemGuard's API class. */
    void prepared(ReferenceType type) {
        if (!type.name().equals(MEMGUARD)) {
            return;
        }
        for (Method method : type.methods()) {
            if ((method.name().equals("protect") || method.name().equals("release")) && method.argumentTypeNames().size() == 2
                    && method.argumentTypeNames().get(1).equals("java.lang.String")) {
                BreakpointRequest request = requests.createBreakpointRequest(method.location());
                request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                request.enable();
            }
        }
    }

    /** Handles a breakpoint on {@code protect(target, field)} or {@code release(target, field)}. */
    void hit(BreakpointEvent event) throws IncompatibleThreadStateException {
        List<Value> arguments = event.thread().frame(0).getArgumentValues();
        if (!(arguments.get(0) instanceof ObjectReference target) || !(arguments.get(1) instanceof StringReference name)) {
            return; // protect(null, …) throws in the program itself
        }
        boolean isStatic = target instanceof ClassObjectReference;
        ReferenceType type = isStatic ? ((ClassObjectReference) target).reflectedType() : target.referenceType();
        Field field = type.fieldByName(name.value());
        if (field == null || field.isStatic() != isStatic) {
            return; // the program's MemGuard rejects it with the nearest names
        }
        String key = (isStatic ? "static" : Long.toString(target.uniqueID())) + ":" + field;
        if (event.location().method().name().equals("protect")) {
            if (!watched.containsKey(key)) {
                watched.put(key, watch.apply(field, isStatic ? null : target));
            }
        } else {
            ModificationWatchpointRequest request = watched.remove(key);
            if (request != null) {
                requests.deleteEventRequest(request);
            }
        }
    }
}
