package org.quasi.memguard.jdi.internal;

import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.ModificationWatchpointEvent;
import com.sun.jdi.event.ThreadDeathEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.event.VMStartEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ModificationWatchpointRequest;
import com.sun.jdi.request.ThreadDeathRequest;
import com.sun.jdi.request.VMDeathRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.runtime.internal.NearestNames;
import org.quasi.typeguard.spec.SpecEntry;

/**
 * One debugger session over the program's JVM: sets the requests, handles events until the JVM exits, and logs every
 * unguarded write to a watched field as a {@code JDWP_WATCH} write.
 *
 * <p><b>Requests.</b> A class-prepare request per class the spec names, and one for quasi-runtime's {@code Guards};
 * when such a class is prepared (its thread is held until then, so no code of the class has run), a
 * field-modification watchpoint for each spec field it names, and breakpoints on the entry of the guards' slow paths
 * (see {@link GuardedWrites}). {@link ProtectionTracker} adds watchpoints with an instance filter for objects the
 * program protects at run time.
 *
 * <p><b>Suspend policy.</b> Every request suspends only the thread of its event ({@code SUSPEND_EVENT_THREAD}): the
 * stack and arguments can be read only from a suspended thread, and a class's watchpoints must exist before that
 * thread runs the class's code; the program's other threads keep running. Nothing suspends the whole JVM except the
 * start event, which the session resumes once its first requests exist.
 *
 * <p><b>End.</b> The loop ends at the JVM's death or disconnection; the program's exit status is the caller's to
 * collect from its process.
 */
public final class WatchSession {

    private static final String GUARDS = "org.quasi.runtime.Guards";

    private final VirtualMachine vm;
    private final EventRequestManager requests;
    private final Consumer<UnguardedWrite> sink;
    private final Consumer<String> problems;
    private final Map<String, List<SpecEntry>> specByOwner = new LinkedHashMap<>();
    private final Set<String> preparedOwners = new HashSet<>();
    private final GuardedWrites guarded = new GuardedWrites();
    private final WriteReport reports;
    private final ProtectionTracker protections;
    private int watchpoints;

    /**
     * @param vm       the connected JVM, suspended at its start
     * @param spec     the protected fields of the spec: each is watched on every object
     * @param sink     receives each unguarded write (for example {@code MemGuardLog::add}), in the event loop's thread
     * @param problems receives one line per spec entry that cannot be watched (a missing field, a class never loaded)
     */
    public WatchSession(VirtualMachine vm, List<SpecEntry> spec, Consumer<UnguardedWrite> sink,
                        Consumer<String> problems) {
        this.vm = vm;
        this.requests = vm.eventRequestManager();
        this.sink = sink;
        this.problems = problems;
        for (SpecEntry entry : spec) {
            specByOwner.computeIfAbsent(entry.owner(), owner -> new ArrayList<>()).add(entry);
        }
        ObjectText text = new ObjectText(vm);
        this.reports = new WriteReport(text);
        this.protections = new ProtectionTracker(vm, this::watch);
    }

    /** How many watchpoints the session set (spec fields per loaded class, plus protected objects' fields). */
    public int watchpoints() {
        return watchpoints;
    }

    /** Sets the requests, resumes the program and handles its events until it exits or disconnects. */
    public void run() throws InterruptedException {
        run(() -> { });
    }

    /**
     * Sets the requests, calls {@code ready} (the watchpoints on classes already prepared exist from then on), resumes
     * the program and handles its events until it exits or disconnects. A JVM the session attached to, rather than
     * launched, is not suspended: resuming it changes nothing.
     */
    public void run(Runnable ready) throws InterruptedException {
        if (!vm.canWatchFieldModification()) {
            throw new IllegalStateException("this JVM cannot watch field modifications (JDWP capability missing)");
        }
        for (String owner : specByOwner.keySet()) {
            prepareRequest(owner);
        }
        prepareRequest(GUARDS);
        for (String name : protections.classNames()) {
            prepareRequest(name);
        }
        ThreadDeathRequest threadDeath = requests.createThreadDeathRequest();
        threadDeath.setSuspendPolicy(EventRequest.SUSPEND_NONE);
        threadDeath.enable();
        // Held at its death, the JVM still answers questions: which classes it loaded, for the never-loaded report.
        VMDeathRequest death = requests.createVMDeathRequest();
        death.setSuspendPolicy(EventRequest.SUSPEND_ALL);
        death.enable();
        List<String> names = new ArrayList<>(specByOwner.keySet());
        names.add(GUARDS);
        names.addAll(protections.classNames());
        for (String name : names) {
            for (ReferenceType type : vm.classesByName(name)) {
                if (type.isPrepared()) {
                    prepared(type);
                }
            }
        }
        ready.run();
        vm.resume();
        loop();
    }

    private void loop() throws InterruptedException {
        try {
            while (true) {
                EventSet events = vm.eventQueue().remove();
                Set<String> seen = new HashSet<>();
                boolean end = false;
                boolean start = false;
                for (Event event : events) {
                    if (event instanceof VMStartEvent) {
                        start = true;
                    } else if (event instanceof VMDeathEvent) {
                        if (!end) {
                            reportNeverLoaded();
                        }
                        end = true;
                    } else if (event instanceof VMDisconnectEvent) {
                        end = true;
                    } else {
                        handle(event, seen);
                    }
                }
                // run() already resumed the JVM held at its start; resuming the start event's set again would
                // resume threads that a later event has suspended meanwhile (while this session reads their stacks).
                if (!start) {
                    events.resume();
                }
                if (end) {
                    return;
                }
            }
        } catch (VMDisconnectedException e) {
            // The program exited between two events: the session is over, as at a death event.
        }
    }

    private void handle(Event event, Set<String> seen) {
        try {
            if (event instanceof ModificationWatchpointEvent write) {
                // Two requests (a spec field and a protected object) may match one store: log it once per event set.
                String key = write.thread().uniqueID() + ":" + write.field() + ":"
                        + (write.object() == null ? "static" : write.object().uniqueID());
                if (seen.add(key) && !guarded.isGuarded(write)) {
                    sink.accept(reports.of(write));
                }
            } else if (event instanceof BreakpointEvent breakpoint) {
                if (breakpoint.location().declaringType().name().equals(GUARDS)) {
                    guarded.guardCalled(breakpoint);
                } else {
                    protections.hit(breakpoint);
                }
            } else if (event instanceof ClassPrepareEvent prepare) {
                prepared(prepare.referenceType());
            } else if (event instanceof ThreadDeathEvent death) {
                guarded.forget(death.thread());
            }
        } catch (IncompatibleThreadStateException | ObjectCollectedException e) {
            problems.accept("could not read an event's thread or object (" + e + "); event skipped: " + event);
        }
    }

    private void prepareRequest(String className) {
        ClassPrepareRequest request = requests.createClassPrepareRequest();
        request.addClassFilter(className);
        request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        request.enable();
    }

    private void prepared(ReferenceType type) {
        String name = type.name();
        if (name.equals(GUARDS)) {
            breakOnEntry(type, "beforeWrite");
            breakOnEntry(type, "beforeStaticWrite");
        }
        protections.prepared(type);
        List<SpecEntry> entries = specByOwner.get(name);
        if (entries == null) {
            return;
        }
        preparedOwners.add(name);
        for (SpecEntry entry : entries) {
            Field field = type.fieldByName(entry.name());
            if (field == null) {
                List<String> names = new ArrayList<>();
                type.visibleFields().forEach(f -> names.add(f.name()));
                problems.accept(entry.file() + ":" + entry.line() + ": class " + name + " has no field '" + entry.name()
                        + "'" + nearest(entry.name(), names) + "; not watched");
            } else {
                watch(field, null);
            }
        }
    }

    private void breakOnEntry(ReferenceType type, String methodName) {
        for (Method method : type.methodsByName(methodName)) {
            BreakpointRequest request = requests.createBreakpointRequest(method.location());
            request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
            request.enable();
        }
    }

    /** Sets a watchpoint on {@code field}, restricted to {@code object} when it is not null; returns the request. */
    private ModificationWatchpointRequest watch(Field field, com.sun.jdi.ObjectReference object) {
        ModificationWatchpointRequest request = requests.createModificationWatchpointRequest(field);
        if (object != null) {
            request.addInstanceFilter(object);
        }
        request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
        request.enable();
        watchpoints++;
        return request;
    }

    private void reportNeverLoaded() {
        List<String> loaded = null;
        for (Map.Entry<String, List<SpecEntry>> owner : specByOwner.entrySet()) {
            if (preparedOwners.contains(owner.getKey())) {
                continue;
            }
            if (loaded == null) {
                loaded = loadedClassNames();
            }
            SpecEntry first = owner.getValue().get(0);
            problems.accept(first.file() + ":" + first.line() + ": class " + owner.getKey()
                    + " was never loaded by the program, so its fields were not watched"
                    + nearest(owner.getKey(), loaded));
        }
    }

    private List<String> loadedClassNames() {
        try {
            List<String> names = new ArrayList<>();
            vm.allClasses().forEach(type -> names.add(type.name()));
            return names;
        } catch (VMDisconnectedException e) {
            return List.of(); // the JVM is gone: no names to suggest
        }
    }

    private static String nearest(String name, List<String> candidates) {
        List<String> near = NearestNames.names(name, candidates, 3);
        return near.isEmpty() ? "" : " (nearest: " + String.join(", ", near) + ")";
    }
}
