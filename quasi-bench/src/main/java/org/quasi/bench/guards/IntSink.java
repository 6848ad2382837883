package org.quasi.bench.guards;

/** How the benchmarks reach a {@link Cell} of either loader: a monomorphic interface call the JIT inlines. */
public interface IntSink {

  void set(int v);

  int get();
}
