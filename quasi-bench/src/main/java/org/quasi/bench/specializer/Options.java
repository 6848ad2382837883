package org.quasi.bench.specializer;

/**
 * Protocol options that configure {@link #encode}: the dispatch workload. The fields are not final — a connection
 * may renegotiate them — so they are declared quasi-invariant when specializing.
 */
public final class Options {
  boolean littleEndian;
  int width;
  boolean checksum;
  int rounds;
  int[] salt;

  public Options(final boolean littleEndian, final int width, final boolean checksum, final int rounds,
      final int[] salt) {
    this.littleEndian = littleEndian;
    this.width = width;
    this.checksum = checksum;
    this.rounds = rounds;
    this.salt = salt;
  }

  /** Encodes {@code value} as the options say: byte order, field width, salted mixing rounds, optional checksum. */
  public static long encode(final Options o, final int value) {
    int v = o.littleEndian ? Integer.reverseBytes(value) : value;
    if (o.width == 1) {
      v &= 0xff;
    } else if (o.width == 2) {
      v &= 0xffff;
    }
    long h = v;
    for (int i = 0; i < o.rounds; i++) {
      h = (h ^ o.salt[i % o.salt.length]) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    if (o.checksum) {
      h = (h << 8) | (Long.bitCount(h) & 0xff);
    }
    return h;
  }

  /** The options the benchmark uses. */
  public static Options standard() {
    return new Options(true, 2, true, 3, new int[] {0x1234, 0x5678});
  }

  /** {@link #encode} specialized by hand for {@link #standard()}. */
  public static long encodeStandard(final int value) {
    long h = Integer.reverseBytes(value) & 0xffff;
    h = (h ^ 0x1234) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h = (h ^ 0x5678) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    h = (h ^ 0x1234) * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (h << 8) | (Long.bitCount(h) & 0xff);
  }
}
