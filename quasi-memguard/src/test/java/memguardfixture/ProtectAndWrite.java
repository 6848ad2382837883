package memguardfixture;

import java.lang.invoke.MethodHandles;
import org.quasi.memguard.MemGuard;

/**
 * A program to run under {@code ./quasi memguard}: protects one {@link Config}'s fields and the static
 * {@code defaultLimit} with the MemGuard API, writes them through every path of {@link Writers} (JNI too when given
 * the library), writes the same fields of an unprotected config, then writes after a release, through the sanctioned
 * {@code MemGuard.write}, and while MemGuard is disabled — none of which may be reported.
 *
 * <p>Arguments: the JNI library built by {@link NativeLibraryBuilder}, or {@code -} to leave JNI out; the exit status
 * to end with.
 */
public final class ProtectAndWrite {

  private ProtectAndWrite() {
  }

  public static void main(final String[] args) throws Throwable {
    final boolean jni = !args[0].equals("-");
    if (jni) {
      NativeWrites.load(args[0]);
    }
    MemGuard.enable();
    final Config watched = new Config();
    final Config other = new Config();
    MemGuard.protect(watched, "limit");
    MemGuard.protect(watched, "counter");
    MemGuard.protect(Config.class, "defaultLimit");

    Writers.plain(watched, 1);
    Writers.reflection(watched, 2);
    Writers.handle(watched, 3);
    Writers.varHandle(watched, 4);
    Writers.updater(watched, 5);
    Writers.unsafe(watched, 6);
    if (jni) {
      Writers.jni(watched, 7);
    }
    Writers.plainStatic(8);
    if (jni) {
      Writers.jniStatic(9);
    }

    Writers.plain(other, 100);
    if (jni) {
      Writers.jni(other, 101);
    }
    MemGuard.write(MethodHandles.lookup(), watched, "limit", 11);
    MemGuard.release(watched, "limit");
    Writers.plain(watched, 12);
    MemGuard.disable();
    Writers.plainStatic(13);

    System.out.println("ProtectAndWrite: limit=" + watched.limit + " defaultLimit=" + Config.defaultLimit);
    System.exit(Integer.parseInt(args[1]));
  }
}
