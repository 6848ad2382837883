package org.quasi.memguard.jdi.internal;

import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.quasi.memguard.UnguardedWrite;
import org.quasi.memguard.internal.TrapRewriter;
import org.quasi.runtime.internal.NearestNames;
import org.quasi.typeguard.spec.SpecEntry;

/**
 * One debugger session over the program's JVM: sets the requests, handles events until the JVM exits, and reports
 * every unguarded write to a protected field as a {@code JDWP_WATCH} write.
 *
 * <p><b>What is protected.</b> The spec's fields on every object (and the static ones), as the MemGuard agent
 * protects them; and whatever the program protects at run time, followed through {@link ProtectionTracker}. Each
 * spec class gets a class-prepare request; when it is prepared (its thread is held until then, so none of its code
 * has run) its fields get a field-modification watchpoint.
 *
 * <p><b>What is not reported.</b> A write that {@link GuardedWrites} recognises as guarded; a write made inside one
 * of the agent's trap helpers ({@code $memguard$trap$N}: the agent has reported it already, when it was to a
 * protected location); a constructor's store into the object it is building; anything while the program has
 * MemGuard disabled.
 *
 * <p><b>Suspend policy.</b> Every request suspends only the thread of its event ({@code SUSPEND_EVENT_THREAD}): the
 * stack and arguments can be read only from a suspended thread, and a class's watchpoints must exist before that
 * thread runs the class's code; the program's other threads keep running. Only the JVM's start (held by the agent's
 * {@code suspend=y}) and its death (held so that the never-loaded report can still ask which classes exist) stop
 * every thread.
 *
 * <p><b>End.</b> The loop ends at the JVM's death or disconnection; the program's exit status is the caller's to
 * collect from its process.
 */
public final class WatchSession {

  /** Prefix of the agent's trap helpers (quasi-memguard's {@code TrapRewriter.HELPER_PREFIX}). */
  static final String TRAP_HELPER_PREFIX = TrapRewriter.HELPER_PREFIX;

  private final VirtualMachine vm;
  private final EventRequestManager requests;
  private final Consumer<UnguardedWrite> sink;
  private final Consumer<String> problems;
  /** Fields protected by name on every instance: owner (binary name) → field → where it was declared. */
  private final Map<String, Map<String, String>> named = new LinkedHashMap<>();
  private final Set<String> preparedOwners = new HashSet<>();
  /** The watchpoints of fields protected by name, by {@code owner.field} as named. */
  private final Map<String, List<ModificationWatchpointRequest>> namedWatches = new HashMap<>();
  private final Set<String> watchedNames = new HashSet<>();
  private final Set<String> prepareRequested = new HashSet<>();
  private final GuardedWrites guarded = new GuardedWrites();
  private final WriteReport reports;
  private final ProtectionTracker protections;
  private int watchpoints;

  /**
   * @param vm       the connected JVM (suspended at its start when the session launched it)
   * @param spec     fields protected on every object (and static ones), as a spec declares them
   * @param sink     receives each unguarded write (for example {@code MemGuardLog::add}), in the session's thread
   * @param problems receives one line per location that cannot be watched (a missing field, a class never loaded)
   */
  public WatchSession(final VirtualMachine vm, final List<SpecEntry> spec, final Consumer<UnguardedWrite> sink,
      final Consumer<String> problems) {
    this.vm = vm;
    this.requests = vm.eventRequestManager();
    this.sink = sink;
    this.problems = problems;
    for (final SpecEntry entry : spec) {
      named.computeIfAbsent(entry.owner(), owner -> new LinkedHashMap<>())
          .putIfAbsent(entry.name(), entry.file() + ":" + entry.line());
    }
    this.reports = new WriteReport(new ObjectText(vm));
    this.protections = new ProtectionTracker(vm, this::watch, this::protectNamed, this::releaseNamed, problems);
  }

  /** How many watchpoints the session has set so far. */
  public int watchpoints() {
    return watchpoints;
  }

  /** Sets the requests, resumes the program and handles its events until it exits or disconnects. */
  public void run() throws InterruptedException {
    run(() -> { });
  }

  /**
   * Sets the requests, calls {@code ready} (the watchpoints on classes already prepared exist from then on), resumes
   * the program and handles its events until it exits or disconnects. For a JVM the session attached to while it
   * ran (not suspended): resuming it changes nothing.
   */
  public void run(final Runnable ready) throws InterruptedException {
    prepare();
    ready.run();
    vm.resume();
    loop();
  }

  /**
   * As {@link #run()}, for a JVM launched suspended ({@code suspend=y}), which connected before it started: waits for
   * its start event and resumes that event's suspension. Resuming the JVM itself could come first, before the JVM
   * has suspended its threads for the start event (the connection precedes it): it would resume nothing, and the
   * start event would leave the program suspended for good.
   */
  public void runLaunched() throws InterruptedException {
    prepare();
    resumeAtStart = true;
    loop();
  }

  /** Sets the requests: class preparations to watch, thread and JVM deaths. */
  private void prepare() {
    if (!vm.canWatchFieldModification() || !vm.canUseInstanceFilters()) {
      throw new IllegalStateException("this JVM cannot watch field modifications with instance filters");
    }
    final List<String> classes = new ArrayList<>(named.keySet());
    classes.add(GuardedWrites.GUARDS);
    classes.addAll(protections.classNames());
    for (final String name : classes) {
      requestPrepare(name);
    }
    final ThreadDeathRequest threadDeath = requests.createThreadDeathRequest();
    threadDeath.setSuspendPolicy(EventRequest.SUSPEND_NONE);
    threadDeath.enable();
    final VMDeathRequest death = requests.createVMDeathRequest();
    death.setSuspendPolicy(EventRequest.SUSPEND_ALL);
    death.enable();
  }

  /** Whether the start event's set is this session's to resume ({@link #runLaunched}). */
  private boolean resumeAtStart;

  private void loop() throws InterruptedException {
    try {
      while (true) {
        final EventSet events = vm.eventQueue().remove();
        final Set<String> seen = new HashSet<>();
        boolean end = false;
        boolean start = false;
        for (final Event event : events) {
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
        // run() resumed the JVM held at its start before this loop; resuming the start event's set again would
        // resume threads that a later event has suspended meanwhile (while this session reads their stacks). A
        // launched JVM runs nothing before its start event's set is resumed, here.
        if (!start || resumeAtStart) {
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

  private void handle(final Event event, final Set<String> seen) {
    try {
      if (event instanceof ModificationWatchpointEvent write) {
        // Two requests (a field protected on every instance and one object's) may match one store: once per set.
        final String key = write.thread().uniqueID() + ":" + write.field() + ":"
            + (write.object() == null ? "static" : write.object().uniqueID());
        if (seen.add(key) && protections.enabled() && !inTrapHelper(write) && !initializing(write)
            && !guarded.isGuarded(write)) {
          sink.accept(reports.of(write));
        }
      } else if (event instanceof BreakpointEvent breakpoint) {
        if (protections.owns(breakpoint)) {
          protections.hit(breakpoint);
        } else {
          guarded.guardCalled(breakpoint);
        }
      } else if (event instanceof ClassPrepareEvent prepare) {
        prepared(prepare.referenceType());
      } else if (event instanceof ThreadDeathEvent threadDeath) {
        guarded.forget(threadDeath.thread());
      }
    } catch (IncompatibleThreadStateException | ObjectCollectedException e) {
      problems.accept("could not read an event's thread or object (" + e + "); event skipped: " + event);
    }
  }

  /** Whether the store runs inside an agent trap helper, which has reported it already if it was protected. */
  private static boolean inTrapHelper(final ModificationWatchpointEvent write) {
    return write.location().method().name().startsWith(TRAP_HELPER_PREFIX);
  }

  /**
   * Whether the store is a constructor's into the object it is building ({@code this} of the writing frame): that
   * object is not shared yet, so no specialization can rely on it (the agent's traps leave these stores alone too).
   */
  private static boolean initializing(final ModificationWatchpointEvent write)
      throws IncompatibleThreadStateException {
    return write.object() != null && write.location().method().isConstructor()
        && write.object().equals(write.thread().frame(0).thisObject());
  }

  private void requestPrepare(final String className) {
    if (!prepareRequested.add(className)) {
      return;
    }
    final ClassPrepareRequest request = requests.createClassPrepareRequest();
    request.addClassFilter(className);
    request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    request.enable();
    for (final ReferenceType type : vm.classesByName(className)) {
      if (type.isPrepared()) {
        prepared(type);
      }
    }
  }

  private void prepared(final ReferenceType type) {
    final String name = type.name();
    if (name.equals(GuardedWrites.GUARDS)) {
      breakOnEntry(type, "beforeWrite");
      breakOnEntry(type, "beforeStaticWrite");
    }
    protections.prepared(type);
    final Map<String, String> fields = named.get(name);
    if (fields == null) {
      return;
    }
    preparedOwners.add(name);
    fields.forEach((field, origin) -> watchNamed(type, field, origin));
  }

  /** A spec entry the program protects at run time ({@code protectNamed}, what the MemGuard agent does per entry). */
  private void protectNamed(final String owner, final String field) {
    if (owner == null || field == null || named.computeIfAbsent(owner, o -> new LinkedHashMap<>())
        .putIfAbsent(field, "the program's protectSpecEntry(" + owner + ", " + field + ")") != null) {
      return; // already watched (the same spec given to --jdwp and to the agent)
    }
    final boolean known = prepareRequested.contains(owner);
    requestPrepare(owner);
    if (known) {
      for (final ReferenceType type : vm.classesByName(owner)) {
        if (type.isPrepared()) {
          watchNamed(type, field, named.get(owner).get(field));
        }
      }
    }
  }

  /** The program released a spec entry ({@code releaseNamed}): its watchpoints go. */
  private void releaseNamed(final String owner, final String field) {
    final Map<String, String> fields = owner == null ? null : named.get(owner);
    if (fields == null || fields.remove(field) == null) {
      return;
    }
    final List<ModificationWatchpointRequest> made = namedWatches.remove(owner + "." + field);
    if (made != null) {
      for (final ModificationWatchpointRequest request : made) {
        watchedNames.remove(request.field().declaringType().name() + "." + request.field().name() + "@"
            + request.field().declaringType().classLoader());
      }
      requests.deleteEventRequests(made);
    }
  }

  private void watchNamed(final ReferenceType type, final String name, final String origin) {
    final Field field = type.fieldByName(name);
    if (field == null) {
      final List<String> names = new ArrayList<>();
      type.visibleFields().forEach(f -> names.add(f.name()));
      problems.accept(origin + ": class " + type.name() + " has no field '" + name + "'" + nearest(name, names)
          + "; not watched");
    } else if (watchedNames.add(field.declaringType().name() + "." + field.name() + "@"
        + field.declaringType().classLoader())) {
      namedWatches.computeIfAbsent(type.name() + "." + name, k -> new ArrayList<>()).add(watch(field, null));
    }
  }

  private void breakOnEntry(final ReferenceType type, final String methodName) {
    for (final Method method : type.methodsByName(methodName)) {
      final BreakpointRequest request = requests.createBreakpointRequest(method.location());
      request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
      request.enable();
    }
  }

  /** Sets a watchpoint on {@code field}, restricted to {@code object} when it is not null; returns the request. */
  private ModificationWatchpointRequest watch(final Field field, final ObjectReference object) {
    final ModificationWatchpointRequest request = requests.createModificationWatchpointRequest(field);
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
    for (final Map.Entry<String, Map<String, String>> owner : named.entrySet()) {
      if (preparedOwners.contains(owner.getKey()) || owner.getValue().isEmpty()) {
        continue;
      }
      if (loaded == null) {
        loaded = loadedClassNames();
      }
      problems.accept(owner.getValue().values().iterator().next() + ": class " + owner.getKey()
          + " was never loaded by the program, so its fields were not watched" + nearest(owner.getKey(), loaded));
    }
  }

  private List<String> loadedClassNames() {
    try {
      final List<String> names = new ArrayList<>();
      vm.allClasses().forEach(type -> names.add(type.name()));
      return names;
    } catch (VMDisconnectedException e) {
      return List.of(); // the JVM is gone: no names to suggest
    }
  }

  private static String nearest(final String name, final List<String> candidates) {
    final List<String> near = NearestNames.names(name, candidates, 3);
    return near.isEmpty() ? "" : " (nearest: " + String.join(", ", near) + ")";
  }
}
