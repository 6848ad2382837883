package org.quasi.versions.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executor that background entry points ({@link org.quasi.versions.EntryPolicy#background}) hand their
 * specializations to, as a JIT hands methods to its compiler thread: one daemon thread named
 * {@code quasi-specializer-N}, a bounded queue of {@link #QUEUE_BOUND} jobs, and a rejection (a
 * {@link java.util.concurrent.RejectedExecutionException}) when it is full, which the entry point counts and answers
 * by leaving the key generic.
 *
 * <p>One thread because specialization is CPU work and the machines Quasi targets may have two cores: a second
 * specializer would compete with the application rather than finish sooner. The thread ends after
 * {@link #IDLE_SECONDS} idle seconds (a new one starts with the next job), so an idle program keeps no thread of ours.
 */
public final class SpecializerThreads {

  /** Jobs waiting at most; beyond, a key that crosses its threshold stays generic (and is counted as rejected). */
  public static final int QUEUE_BOUND = 64;

  /** Seconds the thread waits for a job before it ends. */
  public static final int IDLE_SECONDS = 10;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private static final Executor SHARED = create();

  private SpecializerThreads() {
  }

  /** The executor shared by every background entry point of this class loader. */
  public static Executor shared() {
    return SHARED;
  }

  private static Executor create() {
    final ThreadFactory daemons = job -> {
      final Thread t = new Thread(job, "quasi-specializer-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE_BOUND), daemons, new ThreadPoolExecutor.AbortPolicy());
    executor.allowCoreThreadTimeOut(true);
    return executor;
  }
}
