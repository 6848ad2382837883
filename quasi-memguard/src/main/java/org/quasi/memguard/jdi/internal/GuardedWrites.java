package org.quasi.memguard.jdi.internal;

import com.sun.jdi.BooleanValue;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ModificationWatchpointEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tells guarded writes from unguarded ones at a watchpoint.
 *
 * <p>A field-modification event says only which field of which object a thread is about to store; a write site woven
 * by quasi-agent stores with the same {@code putfield} as an unguarded one. Two facts set it apart:
 * <ul>
 *   <li><b>Slow path</b> (the object has a QUID, or the static field's flag is armed): the site calls
 *       {@code Guards.beforeWrite(object, quid, owner, field)} (or {@code Guards.beforeStaticWrite(flag)}) and then,
 *       a few instructions later in the same frame, stores. A breakpoint on those two methods records, per thread,
 *       the pending guarded write: object, field, the calling frame's depth and method, and the call's bytecode index.
 *       A watchpoint event is guarded when it consumes it: same thread, object (or static) and field name, same
 *       frame depth and method, and a store within {@link #WINDOW} bytes of the call (the woven sequence reloads the
 *       receiver and value from locals and stores; see quasi-agent's {@code WriteSiteRewriter}).
 *   <li><b>Fast path</b> (no QUID, flag not armed: nothing relies on the location, so the write needs no
 *       invalidation): a plain store in a class that quasi-agent wove, which carries its {@code $quasi$woven} marker.
 *       A static field is woven exactly when its class has the {@code $quasi$flag$NAME} flag; an instance store counts
 *       as the fast path of a woven site when the object's class holds the {@code $quasi$quid} field and the QUID is
 *       still {@code null}.
 * </ul>
 *
 * <p>A guard whose invalidation throws leaves its pending write behind; no later write consumes it (the next store
 * in that frame is at another index, or the frame is gone), and the thread's next guard call replaces it.
 *
 * @implNote The fast-path rule cannot see which instance fields the weaver guards (it reads {@code @QuasiInvariant},
 *     a class-retention annotation JDWP does not expose): a store, in a woven class, to an instance field that is
 *     not a quasi-invariant of a class that has some, while the object has no QUID, is taken as guarded. Such a field
 *     can be protected only explicitly ({@code MemGuard.protect}); the agent traps report that store. Writes
 *     quasi-agent guards through the side table (instance fields of classes it cannot weave, such as the JDK's) are
 *     recognised on both paths; but the fast path of a write to a <em>static</em> field of such a class (flag
 *     {@code $quasi$sflag$N} of the writing class, not armed) is reported as unguarded, a false report the agent
 *     traps do not make.
 */
final class GuardedWrites {

  /** quasi-runtime's guards, whose slow paths are watched by breakpoints. */
  static final String GUARDS = "org.quasi.runtime.Guards";

  /** How many bytes of code may separate the guard's {@code invokestatic} from its store (3 + up to 4 + 4 + 3). */
  static final int WINDOW = 16;

  private static final String WOVEN_MARKER = "$quasi$woven";
  private static final String QUID_FIELD = "$quasi$quid";
  private static final String FLAG_PREFIX = "$quasi$flag$";
  private static final String SIDE_PREFIX = "$quasi$side$";
  private static final String SIDE_TABLE_TEXT = "side table of ";

  /** A guard call seen at a breakpoint, waiting for its store. */
  private record Pending(boolean isStatic, long objectId, String field, int depth, Location caller) {
  }

  private final Map<ThreadReference, Pending> pending = new HashMap<>();

  /**
   * Records the guarded write announced by a breakpoint at the entry of {@code Guards.beforeWrite} or
   * {@code Guards.beforeStaticWrite}; the event's thread is suspended.
   */
  void guardCalled(final BreakpointEvent event) throws IncompatibleThreadStateException {
    final ThreadReference thread = event.thread();
    final List<StackFrame> frames = thread.frames(0, 2);
    if (frames.size() < 2) {
      return;
    }
    final List<Value> arguments = frames.get(0).getArgumentValues();
    final boolean isStatic = !event.location().method().name().equals("beforeWrite");
    long objectId = -1;
    String field = null;
    if (!isStatic) {
      final ObjectReference object = (ObjectReference) arguments.get(0);
      objectId = object == null ? -1 : object.uniqueID();
      field = arguments.get(3) instanceof StringReference name ? name.value() : null;
    }
    // For a static write the flag names its field only as text; the store's frame and index pin it down.
    pending.put(thread, new Pending(isStatic, objectId, field, thread.frameCount() - 1, frames.get(1).location()));
  }

  /** Whether the event is a guarded write (the store of the thread's pending one is consumed). */
  boolean isGuarded(final ModificationWatchpointEvent event) throws IncompatibleThreadStateException {
    return consumesPending(event) || isWovenFastPath(event);
  }

  /** Forgets a thread's pending write (the thread ended). */
  void forget(final ThreadReference thread) {
    pending.remove(thread);
  }

  private boolean consumesPending(final ModificationWatchpointEvent event) throws IncompatibleThreadStateException {
    final ThreadReference thread = event.thread();
    final Pending p = pending.get(thread);
    if (p == null) {
      return false;
    }
    final Location store = event.location();
    final boolean sameTarget = event.object() == null
        ? p.isStatic
        : !p.isStatic && p.objectId == event.object().uniqueID() && event.field().name().equals(p.field);
    final long distance = store.codeIndex() - p.caller.codeIndex();
    final boolean sameFrame = store.method().equals(p.caller.method()) && distance > 0 && distance <= WINDOW
        && thread.frameCount() == p.depth;
    if (sameTarget && sameFrame) {
      pending.remove(thread);
      return true;
    }
    return false;
  }

  private boolean isWovenFastPath(final ModificationWatchpointEvent event) {
    final ReferenceType writer = event.location().declaringType();
    if (writer.fieldByName(WOVEN_MARKER) == null || event.location().method().isNative()) {
      return false;
    }
    final Field field = event.field();
    if (field.isStatic()) {
      return field.declaringType().fieldByName(FLAG_PREFIX + field.name()) != null;
    }
    final ObjectReference object = event.object();
    final Field quid = object.referenceType().fieldByName(QUID_FIELD);
    if (quid != null) {
      return object.getValue(quid) == null;
    }
    return isSideTableFastPath(writer, object, event.thread());
  }

  /**
   * A woven write to a field of a class quasi-agent cannot weave goes through the side table: the writing class keeps
   * the side-table flag of the field reference's class ({@code $quasi$side$N}, a {@code GuardFlag} whose text names
   * the class). Not armed, the write is the fast path; armed, it is the fast path when the object has no QUID in the
   * side table ({@code Guards.existingQuid}, called in the suspended thread), the slow path having been consumed as
   * a pending write before.
   */
  private boolean isSideTableFastPath(final ReferenceType writer, final ObjectReference object,
      final ThreadReference thread) {
    final Set<String> names = new HashSet<>();
    for (ReferenceType t = object.referenceType(); t instanceof ClassType c; t = c.superclass()) {
      names.add(SIDE_TABLE_TEXT + t.name());
    }
    for (final Field flagField : writer.fields()) {
      if (!flagField.isStatic() || !flagField.name().startsWith(SIDE_PREFIX)) {
        continue;
      }
      final Value flag = writer.getValue(flagField);
      if (flag instanceof ObjectReference f && names.contains(text(f, "what"))) {
        final Value armed = f.getValue(f.referenceType().fieldByName("armed"));
        if (!(armed instanceof BooleanValue b) || !b.value()) {
          return true;
        }
        return existingQuidIsNull(object, thread);
      }
    }
    return false;
  }

  private static String text(final ObjectReference object, final String fieldName) {
    final Field field = object.referenceType().fieldByName(fieldName);
    return field != null && object.getValue(field) instanceof StringReference s ? s.value() : null;
  }

  private boolean existingQuidIsNull(final ObjectReference object, final ThreadReference thread) {
    for (final ReferenceType type : object.virtualMachine().classesByName(GUARDS)) {
      final List<Method> methods = type.methodsByName("existingQuid");
      if (type instanceof ClassType guards && !methods.isEmpty()) {
        try {
          return guards.invokeMethod(thread, methods.get(0), List.of(object), ClassType.INVOKE_SINGLE_THREADED)
              == null;
        } catch (Exception e) {
          return false; // cannot ask: report the write rather than hide it
        }
      }
    }
    return false;
  }
}
