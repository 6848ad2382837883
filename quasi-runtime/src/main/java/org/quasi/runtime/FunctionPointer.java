package org.quasi.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.quasi.runtime.internal.FunctionalShape;
import org.quasi.runtime.internal.InvokerClasses;

/**
 * The cheapest replugger: a plain field holding the target, read on every call.
 *
 * <p><b>Thread safety.</b> None beyond the field. A replug made by one thread may never be seen by a call in
 * another, or be seen late; use this kind only where the thread that plugs is the thread that calls (the paper's
 * single-threaded kernel on one processor). Otherwise use {@link SimpleReplugger} or {@link CountingReplugger}.
 *
 * <p><b>Cost.</b> A call reads the field and makes an interface call on its value; when the field's value has been
 * the same for long, C2 usually inlines it behind a class check.
 *
 * @param <T> the functional interface being replugged
 * @since 0.1
 */
public final class FunctionPointer<T> implements Replugger<T> {

  /** The handle that reads {@link #target} from a given function pointer. */
  private static final MethodHandle TARGET_GETTER;

  static {
    try {
      TARGET_GETTER = MethodHandles.lookup().findGetter(FunctionPointer.class, "target", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The interface and its method. */
  private final FunctionalShape shape;

  /** The plugged function; deliberately neither volatile nor final (see the class comment). */
  private Object target;

  /** The object callers call. */
  private final T invoker;

  FunctionPointer(final MethodHandles.Lookup lookup, final Class<T> type, final T initial) {
    this.shape = FunctionalShape.of(type);
    this.target = shape.checkTarget(initial);
    final MethodHandle read = TARGET_GETTER.bindTo(this).asType(MethodType.methodType(type));
    this.invoker = type.cast(InvokerClasses.define(lookup, shape,
        MethodHandles.foldArguments(shape.virtualHandle(lookup), read), null, "FunctionPointer<" + type.getName() + ">"));
  }

  @Override
  public Class<T> type() {
    @SuppressWarnings("unchecked")
    final Class<T> type = (Class<T>) shape.type();
    return type;
  }

  @Override
  public T invoker() {
    return invoker;
  }

  @Override
  public T target() {
    return type().cast(target);
  }

  /** Stores {@code newTarget}; the next call made by this thread runs it. */
  @Override
  public void replug(final T newTarget) {
    target = shape.checkTarget(newTarget);
  }

  @Override
  public String toString() {
    return "FunctionPointer<" + shape.type().getName() + "> -> " + target;
  }
}
