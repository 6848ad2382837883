package org.quasi.memguard.jdi.internal;

import com.sun.jdi.ClassType;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the program's values as MemGuard's log writes them in every mechanism: primitives as Java prints them,
 * strings quoted, other objects as {@code ClassName@identityHashHex} — the same text the agent traps write, so one
 * object has one name across mechanisms.
 *
 * <p>JDWP does not carry identity hash codes, so the first time an object is named this calls
 * {@code System.identityHashCode} in the program, in the event's thread alone ({@code INVOKE_SINGLE_THREADED}; the
 * thread is suspended by the event, as JDWP requires), and caches the answer by the object's JDWP id. When the call is
 * not possible (the program is exiting, or the thread cannot run Java code at that point) the object is named by its
 * JDWP id instead, {@code ClassName(jdwp id N)}, which is stable within the run but does not match other mechanisms.
 */
final class ObjectText {

  private final VirtualMachine vm;
  private final Map<Long, String> names = new HashMap<>();
  private ClassType system;
  private Method identityHashCode;

  ObjectText(VirtualMachine vm) {
    this.vm = vm;
  }

  /** A value as text: {@code null}, {@code 42}, {@code "text"}, {@code app.Config@1b6d3586}. */
  String value(Value value, ThreadReference thread) {
    if (value == null) {
      return "null";
    }
    if (value instanceof PrimitiveValue) {
      return value.toString();
    }
    if (value instanceof StringReference string) {
      return '"' + string.value() + '"';
    }
    return object((ObjectReference) value, thread);
  }

  /** An object's name, {@code ClassName@identityHashHex}. */
  String object(ObjectReference object, ThreadReference thread) {
    String known = names.get(object.uniqueID());
    if (known != null) {
      return known;
    }
    String name = object.referenceType().name() + identitySuffix(object, thread);
    names.put(object.uniqueID(), name);
    return name;
  }

  private String identitySuffix(final ObjectReference object, final ThreadReference thread) {
    try {
      if (identityHashCode == null) {
        List<ReferenceType> found = vm.classesByName("java.lang.System");
        system = (ClassType) found.get(0);
        identityHashCode = system.methodsByName("identityHashCode", "(Ljava/lang/Object;)I").get(0);
      }
      Value hash = system.invokeMethod(thread, identityHashCode, List.of(object),
          ClassType.INVOKE_SINGLE_THREADED);
      return "@" + Integer.toHexString(((IntegerValue) hash).value());
    } catch (Exception e) {
      // The invocation failed (for example, the thread is in a state where JDWP refuses to run code): fall
      // back to the debugger's id, which still tells objects apart within this run.
      return "(jdwp id " + object.uniqueID() + ")";
    }
  }
}
