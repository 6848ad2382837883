package org.quasi.memguard.jdi.internal;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.EventRequestManager;
import com.sun.jdi.request.ModificationWatchpointRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Mirrors, in the debugger, the program's MemGuard protected set: every protection goes through quasi-memguard's
 * {@code ProtectedSet} ({@code MemGuard.protect}/{@code release}, the agent's spec entries, and the dependencies that
 * specialized versions protect automatically), so breakpoints on the entry of its methods see them all (and their
 * releases). Each
 * protected location gets one watchpoint: filtered to the object ({@code addInstanceFilter}) for an object's field,
 * unfiltered for a static field or a field protected on every instance. Counts follow the protected set's: two
 * protections need two releases before the watchpoint goes.
 *
 * <p>A breakpoint on {@code Traps.enable(boolean)} follows {@code MemGuard.enable()}/{@code disable()}: while the
 * program has MemGuard disabled, watched writes are not reported.
 *
 * <p>Array elements ({@code protect(array, index)}) cannot be watched through JDWP, which has no array watchpoints; the
 * first such protection is reported as a problem line and ignored here.
 */
final class ProtectionTracker {

  static final String PROTECTED_SET = "org.quasi.memguard.internal.ProtectedSet";
  static final String TRAPS = "org.quasi.memguard.internal.Traps";

  private final VirtualMachine vm;
  private final EventRequestManager requests;
  private final BiFunction<Field, ObjectReference, ModificationWatchpointRequest> watch;
  private final BiConsumer<String, String> protectNamed;
  private final BiConsumer<String, String> releaseNamed;
  private final Consumer<String> problems;
  /** Protection counts and watchpoints by location: {@code objectId:key}, or {@code static:key}/{@code every:key}. */
  private final Map<String, Watched> watched = new HashMap<>();
  private boolean enabled = true;
  private boolean toldArrays;

  /** One watched location: its count and its watchpoints (one per loaded class of the name). */
  private static final class Watched {
    int count;
    final List<ModificationWatchpointRequest> requests = new ArrayList<>();
  }

  /**
   * @param watch        sets a watchpoint on a field, filtered to an object when it is not null
   * @param protectNamed handles {@code protectNamed(owner, field)}: a spec entry protected at run time
   * @param releaseNamed handles {@code releaseNamed(owner, field)}
   */
  ProtectionTracker(final VirtualMachine vm,
      final BiFunction<Field, ObjectReference, ModificationWatchpointRequest> watch,
      final BiConsumer<String, String> protectNamed, final BiConsumer<String, String> releaseNamed,
      final Consumer<String> problems) {
    this.vm = vm;
    this.requests = vm.eventRequestManager();
    this.watch = watch;
    this.protectNamed = protectNamed;
    this.releaseNamed = releaseNamed;
    this.problems = problems;
  }

  /** The classes whose preparation this tracker needs to hear of. */
  List<String> classNames() {
    return List.of(PROTECTED_SET, TRAPS);
  }

  /** Whether the program has MemGuard enabled (true until it calls {@code disable}, also when it never uses it). */
  boolean enabled() {
    return enabled;
  }

  /** Sets the breakpoints when {@code type} is the protected set or the traps. */
  void prepared(final ReferenceType type) {
    if (type.name().equals(PROTECTED_SET)) {
      for (final Method method : type.methods()) {
        switch (method.name()) {
          case "protect", "release", "protectField", "releaseField", "protectNamed", "releaseNamed" ->
              breakOnEntry(method);
          default -> {
          }
        }
      }
    } else if (type.name().equals(TRAPS)) {
      for (final Method method : type.methodsByName("enable", "(Z)V")) {
        breakOnEntry(method);
      }
    }
  }

  /** Whether the breakpoint is one of this tracker's. */
  boolean owns(final BreakpointEvent event) {
    final String name = event.location().declaringType().name();
    return name.equals(PROTECTED_SET) || name.equals(TRAPS);
  }

  /** Handles a breakpoint of this tracker; the event's thread is suspended. */
  void hit(final BreakpointEvent event) throws IncompatibleThreadStateException {
    final Method method = event.location().method();
    final List<Value> arguments = event.thread().frame(0).getArgumentValues();
    switch (method.name()) {
      case "enable" -> enabled = ((BooleanValue) arguments.get(0)).value();
      case "protect" -> objectField(arguments, true);
      case "release" -> objectField(arguments, false);
      case "protectField" -> field(arguments, true);
      case "releaseField" -> field(arguments, false);
      case "protectNamed" -> protectNamed.accept(text(arguments.get(0)), text(arguments.get(1)));
      case "releaseNamed" -> releaseNamed.accept(text(arguments.get(0)), text(arguments.get(1)));
      default -> throw new IllegalStateException("no breakpoint was set on " + method);
    }
  }

  private void objectField(final List<Value> arguments, final boolean protect) {
    final ObjectReference object = (ObjectReference) arguments.get(0);
    final String key = text(arguments.get(1));
    if (object == null || key == null) {
      return; // the program's own checks reject it
    }
    if (key.startsWith("[")) {
      if (!toldArrays) {
        toldArrays = true;
        problems.accept("array elements protected at run time (" + object.referenceType().name() + key
            + ") cannot be watched through JDWP; the agent traps and the verifier cover them");
      }
      return;
    }
    final Field field = declared(object.referenceType(), key);
    if (field != null) {
      count(object.uniqueID() + ":" + key, protect, () -> List.of(watch.apply(field, object)));
    }
  }

  private void field(final List<Value> arguments, final boolean protect) {
    final String key = text(arguments.get(0));
    final boolean isStatic = ((BooleanValue) arguments.get(1)).value();
    if (key == null) {
      return;
    }
    count((isStatic ? "static:" : "every:") + key, protect, () -> {
      final List<ModificationWatchpointRequest> made = new ArrayList<>();
      final int dot = key.lastIndexOf('.');
      for (final ReferenceType type : vm.classesByName(key.substring(0, dot))) {
        final Field field = type.fieldByName(key.substring(dot + 1));
        if (field != null && field.declaringType().equals(type)) {
          made.add(watch.apply(field, null));
        }
      }
      return made;
    });
  }

  /** Adds or removes one count of {@code location}; the first protection sets its watchpoints, the last release
   * deletes them. */
  private void count(final String location, final boolean protect,
      final java.util.function.Supplier<List<ModificationWatchpointRequest>> make) {
    if (protect) {
      final Watched w = watched.computeIfAbsent(location, l -> new Watched());
      if (w.count++ == 0) {
        w.requests.addAll(make.get());
      }
    } else {
      final Watched w = watched.get(location);
      if (w != null && --w.count == 0) {
        requests.deleteEventRequests(w.requests);
        watched.remove(location);
      }
    }
  }

  /** The field of key {@code Declaring.name} as seen from {@code type} (declared there or in a superclass). */
  private static Field declared(final ReferenceType type, final String key) {
    final int dot = key.lastIndexOf('.');
    final String owner = key.substring(0, dot);
    final String name = key.substring(dot + 1);
    for (ReferenceType t = type; t != null; t = t instanceof ClassType c ? c.superclass() : null) {
      if (t.name().equals(owner)) {
        final Field field = t.fieldByName(name);
        return field != null && field.declaringType().equals(t) ? field : null;
      }
    }
    return null;
  }

  private static String text(final Value value) {
    return value instanceof StringReference s ? s.value() : null;
  }

  private void breakOnEntry(final Method method) {
    final BreakpointRequest request = requests.createBreakpointRequest(method.location());
    request.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    request.enable();
  }
}
