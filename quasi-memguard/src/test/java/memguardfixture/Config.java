package memguardfixture;

/** The fixture's quasi-invariant holder: fields written through every path by {@link Writers}. */
public class Config {
  public static int defaultLimit = 10;
  public int limit = 10;
  public volatile int counter;
  public volatile String name = "a";
  public long big;
  final int fixed;
  private int hidden;

  public Config() {
    fixed = 1;
  }
}
