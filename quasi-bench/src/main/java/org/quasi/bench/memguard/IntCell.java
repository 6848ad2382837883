package org.quasi.bench.memguard;

/** What the benchmarks write through: the same interface over a cell loaded plain, woven or trapped. */
public interface IntCell {
  void set(int v);

  int get();
}
