package memguardfixture;

/**
 * Writes fields from native code with JNI's {@code SetIntField}/{@code SetStaticIntField}: the write no bytecode
 * rewriting can trap. The C half is {@code native_writes.c}, built by {@link NativeLibraryBuilder}; {@link #load}
 * must be called first.
 */
public final class NativeWrites {

  private NativeWrites() {
  }

  /** Loads the library built by {@link NativeLibraryBuilder}. */
  public static void load(final String path) {
    System.load(path);
  }

  /** {@code target.<field> = value} through {@code SetIntField}. */
  public static native void setInt(Object target, String field, int value);

  /** {@code type.<field> = value} through {@code SetStaticIntField}. */
  public static native void setStaticInt(Class<?> type, String field, int value);
}
