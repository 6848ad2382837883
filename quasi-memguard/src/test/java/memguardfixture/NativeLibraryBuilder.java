package memguardfixture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Builds {@code native_writes.c} into a shared library with gcc, against the JNI headers of the running JDK
 * ({@code include/} and {@code include/linux/}). A test skips its JNI case, with {@link Built#whyNot}, when gcc or the
 * headers are absent; a compilation that fails is an error, not a skip.
 */
public final class NativeLibraryBuilder {

  /**
   * The outcome: the library, or {@code null} and why there is none.
   *
   * @param library the built library, or {@code null}
   * @param whyNot  why it was not built, or {@code ""}
   */
  public record Built(Path library, String whyNot) {
    /** Whether the library exists. */
    public boolean available() {
      return library != null;
    }
  }

  private NativeLibraryBuilder() {
  }

  /**
   * Compiles the library into {@code dir}.
   *
   * @throws IOException when gcc is there but fails
   */
  public static Built build(final Path dir) throws IOException, InterruptedException {
    final Path include = Path.of(System.getProperty("java.home"), "include");
    if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
      return new Built(null, "the JNI fixture is built for Linux only, this is " + System.getProperty("os.name"));
    }
    if (!Files.isRegularFile(include.resolve("jni.h"))) {
      return new Built(null, "the running JDK has no JNI headers at " + include);
    }
    final Path source = dir.resolve("native_writes.c");
    try (InputStream in = NativeLibraryBuilder.class.getResourceAsStream("native_writes.c")) {
      Files.write(source, in.readAllBytes());
    }
    final Path library = dir.resolve("libnative_writes.so");
    final Process gcc;
    try {
      gcc = new ProcessBuilder(List.of("gcc", "-shared", "-fPIC", "-I" + include, "-I" + include.resolve("linux"),
          "-o", library.toString(), source.toString())).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Built(null, "gcc is not on the PATH (" + e.getMessage() + ")");
    }
    final String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
      gcc.destroyForcibly();
      throw new IOException("gcc failed to build the JNI fixture " + source + ":\n" + output);
    }
    return new Built(library, "");
  }
}
