package memguardfixture;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * Writes {@link Config}'s fields through every path: those MemGuard's agent traps, and JNI ({@link #jni}, seen only by
 * the JDWP watch and the verifier). Each writing line carries a
 * {@code // site: NAME} comment; the tests find the line by it and expect it in the report.
 */
public final class Writers {

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

  private Writers() {
  }

  public static void plain(final Config c, final int v) {
    c.limit = v; // site: plain
  }

  public static void plainStatic(final int v) {
    Config.defaultLimit = v; // site: plainStatic
  }

  public static void reflection(final Config c, final int v) throws ReflectiveOperationException {
    final Field f = Config.class.getDeclaredField("limit");
    f.setInt(c, v); // site: reflection
  }

  public static void reflectionStatic(final int v) throws ReflectiveOperationException {
    Config.class.getDeclaredField("defaultLimit").set(null, v); // site: reflectionStatic
  }

  public static void handle(final Config c, final int v) throws Throwable {
    final MethodHandle setter = LOOKUP.findSetter(Config.class, "limit", int.class);
    setter.invokeExact(c, v); // site: handle
  }

  public static void unreflectedHandle(final Config c, final int v) throws Throwable {
    final MethodHandle setter = LOOKUP.unreflectSetter(Config.class.getDeclaredField("limit"));
    setter.invoke(c, v); // site: unreflectedHandle
  }

  public static void varHandle(final Config c, final int v) throws ReflectiveOperationException {
    final VarHandle h = LOOKUP.findVarHandle(Config.class, "limit", int.class);
    h.set(c, v); // site: varHandle
  }

  public static void varHandleCas(final Config c, final int v) throws ReflectiveOperationException {
    final VarHandle h = LOOKUP.findVarHandle(Config.class, "limit", int.class);
    h.compareAndSet(c, c.limit, v); // site: varHandleCas
  }

  public static void updater(final Config c, final int v) {
    final AtomicIntegerFieldUpdater<Config> u = AtomicIntegerFieldUpdater.newUpdater(Config.class, "counter");
    u.set(c, v); // site: updater
  }

  public static void referenceUpdater(final Config c, final String v) {
    final AtomicReferenceFieldUpdater<Config, String> u =
        AtomicReferenceFieldUpdater.newUpdater(Config.class, String.class, "name");
    u.getAndSet(c, v); // site: referenceUpdater
  }

  public static void unsafe(final Config c, final int v) throws ReflectiveOperationException {
    final sun.misc.Unsafe u = theUnsafe();
    final long offset = u.objectFieldOffset(Config.class.getDeclaredField("limit"));
    u.putInt(c, offset, v); // site: unsafe
  }

  public static void arrayElementVarHandle(final int[] a, final int i, final int v) {
    final VarHandle h = MethodHandles.arrayElementVarHandle(int[].class);
    h.setVolatile(a, i, v); // site: arrayElementVarHandle
  }

  public static void unsafeArray(final long[] a, final int i, final long v) throws ReflectiveOperationException {
    final sun.misc.Unsafe u = theUnsafe();
    final long offset = u.arrayBaseOffset(long[].class) + (long) i * u.arrayIndexScale(long[].class);
    u.putLongVolatile(a, offset, v); // site: unsafeArray
  }

  /** JNI's {@code SetIntField}; {@link NativeWrites#load} must have been called. */
  public static void jni(final Config c, final int v) {
    NativeWrites.setInt(c, "limit", v); // site: jni
  }

  /** JNI's {@code SetStaticIntField}; {@link NativeWrites#load} must have been called. */
  public static void jniStatic(final int v) {
    NativeWrites.setStaticInt(Config.class, "defaultLimit", v); // site: jniStatic
  }

  public static void arrayStore(final int[] a, final int i, final int v) {
    a[i] = v; // site: arrayStore
  }

  public static void referenceArrayStore(final Object[] a, final int i, final Object v) {
    a[i] = v; // site: referenceArrayStore
  }

  public static void byteAndBooleanStores(final byte[] bytes, final boolean[] flags) {
    bytes[1] = (byte) 300; // site: byteStore
    flags[1] = true; // site: booleanStore
  }

  public static void arrayElementSetter(final double[] a, final int i, final double v) throws Throwable {
    final MethodHandle setter = MethodHandles.arrayElementSetter(double[].class);
    setter.invokeExact(a, i, v); // site: arrayElementSetter
  }

  public static void reflectiveArraySet(final long[] a, final int i, final long v) {
    java.lang.reflect.Array.setLong(a, i, v); // site: reflectiveArraySet
  }

  private static sun.misc.Unsafe theUnsafe() throws ReflectiveOperationException {
    final Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
    f.setAccessible(true);
    return (sun.misc.Unsafe) f.get(null);
  }
}
