package org.quasi.memguard.jdi.internal;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.Method;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.ModificationWatchpointEvent;
import java.util.ArrayList;
import java.util.List;
import org.quasi.memguard.Mechanism;
import org.quasi.memguard.UnguardedWrite;

/**
 * Turns a field-modification event into the {@link UnguardedWrite} MemGuard logs.
 *
 * <p>HotSpot posts the event for two kinds of writes only: a {@code putfield}/{@code putstatic} the thread executes
 * (the interpreter posts it, which is why HotSpot runs threads in interpreter-only mode while field-modification
 * events are enabled), and a JNI {@code Set<Type>Field}/{@code SetStatic<Type>Field}, posted from inside the JNI
 * function while the innermost Java frame is the native method that called it. So the innermost frame tells the two
 * apart: a native method means JNI. Reflection, method handles, var handles, field updaters and {@code Unsafe}
 * store through {@code Unsafe}'s intrinsics, which post no event: this mechanism never sees them (the agent traps
 * do).
 */
final class WriteReport {

  private final ObjectText text;

  WriteReport(ObjectText text) {
    this.text = text;
  }

  /** The write the event describes; the event's thread must be suspended (policy {@code SUSPEND_EVENT_THREAD}). */
  UnguardedWrite of(ModificationWatchpointEvent event) throws IncompatibleThreadStateException {
    ThreadReference thread = event.thread();
    Field field = event.field();
    List<StackTraceElement> stack = stack(thread);
    String object = event.object() == null ? "static" : text.object(event.object(), thread);
    String oldValue = text.value(event.valueCurrent(), thread);
    String newValue = text.value(event.valueToBe(), thread);
    return new UnguardedWrite(Mechanism.JDWP_WATCH, how(event.location(), field), thread.name(), stack, object,
        field.declaringType().name(), field.name(), oldValue, newValue);
  }

  /** {@code putfield}, {@code putstatic}, or {@code JNI Set<Type>Field}/{@code JNI SetStatic<Type>Field}. */
  static String how(final Location location, final Field field) {
    Method method = location.method();
    if (method.isNative()) {
      return "JNI Set" + (field.isStatic() ? "Static" : "") + jniTypeName(field.signature()) + "Field";
    }
    return field.isStatic() ? "putstatic" : "putfield";
  }

  /** The JNI function family's name for a descriptor: {@code I} → {@code Int}, {@code L…;} → {@code Object}. */
  static String jniTypeName(final String descriptor) {
    return switch (descriptor.charAt(0)) {
      case 'Z' -> "Boolean";
      case 'B' -> "Byte";
      case 'C' -> "Char";
      case 'S' -> "Short";
      case 'I' -> "Int";
      case 'J' -> "Long";
      case 'F' -> "Float";
      case 'D' -> "Double";
      default -> "Object";
    };
  }

  /** The thread's stack, innermost first; a native frame has line -2, as {@link StackTraceElement} expects. */
  static List<StackTraceElement> stack(final ThreadReference thread) throws IncompatibleThreadStateException {
    List<StackFrame> frames = thread.frames();
    List<StackTraceElement> stack = new ArrayList<>(frames.size());
    for (StackFrame frame : frames) {
      Location location = frame.location();
      Method method = location.method();
      String file;
      try {
        file = location.sourceName();
      } catch (AbsentInformationException e) {
        file = null; // compiled without -g:source: StackTraceElement prints "Unknown Source", as the JVM does
      }
      int line = method.isNative() ? -2 : location.lineNumber();
      stack.add(new StackTraceElement(location.declaringType().name(), method.name(), file, line));
    }
    return stack;
  }
}
