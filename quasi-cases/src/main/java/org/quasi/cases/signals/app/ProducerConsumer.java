package org.quasi.cases.signals.app;

import static org.quasi.cases.signals.Signals.SIGCHLD;
import static org.quasi.cases.signals.Signals.SIG_BLOCK;
import static org.quasi.cases.signals.Signals.mask;

import java.util.List;
import org.quasi.cases.signals.Kernel;
import org.quasi.cases.signals.Population;
import org.quasi.cases.signals.Task;

/**
 * The paper's application (§4.2, Table 6): the classic producer/consumer through a bounded buffer, synchronized with
 * a mutex and two conditions built, as LinuxThreads built them, on signals: a thread that must wait suspends on
 * SIGUSR1 and the thread that releases it sends SIGUSR1 with {@code kill}. The producer and the consumer are two
 * threads of one model process (the consumer is the main thread; the producer a clone sharing its sigaction table).
 *
 * <p>The consumer checks that it receives every item exactly once and in order; {@link #consumed()} and
 * {@link #outOfOrder()} report it.
 *
 * <pre>{@code
 * Kernel kernel = Variant.GENERIC.boot();
 * Population.background(kernel, 60);
 * ProducerConsumer app = ProducerConsumer.start(kernel, 100_000, 4);
 * RunLoop.run(kernel, Long.MAX_VALUE);   // or ThreadedRun.run(kernel, app.threads())
 * assert app.consumed() == 100_000 && app.outOfOrder() == 0;
 * }</pre>
 * (run by {@code ProducerConsumerTest}).
 */
public final class ProducerConsumer {

  /** Items to transfer. */
  private final int items;
  /** The ring buffer. */
  private final int[] buffer;
  /** Items in the buffer. */
  private int count;
  /** Where the producer puts next. */
  private int in;
  /** Where the consumer takes next. */
  private int out;
  /** Items the consumer took. */
  private int consumed;
  /** Items that arrived out of order or twice. */
  private int outOfOrder;
  /** Guards the buffer. */
  private final ModelMutex mutex = new ModelMutex();
  /** Signalled when a slot frees up. */
  private final ModelCondition notFull = new ModelCondition();
  /** Signalled when an item arrives. */
  private final ModelCondition notEmpty = new ModelCondition();
  /** The producing thread. */
  private final Producer producer = new Producer();
  /** The consuming thread. */
  private final Consumer consumer = new Consumer();

  private ProducerConsumer(final int items, final int slots) {
    this.items = items;
    this.buffer = new int[slots];
  }

  /**
   * Starts the program as a new process of the logged-in user, forked from init: the main thread installs the
   * restart handler, blocks the restart signal and clones the producer thread; it then consumes.
   *
   * @param kernel a kernel (typically with its background population already created)
   * @param items  how many items to transfer
   * @param slots  the buffer size
   * @return the program, whose threads are ready to run
   */
  public static ProducerConsumer start(final Kernel kernel, final int items, final int slots) {
    ProducerConsumer app = new ProducerConsumer(items, slots);
    Task main = Population.userProcess(kernel);
    kernel.sysSigaction(ModelThread.RESTART, new RestartHandler(), 0, 0);
    kernel.sysSigprocmask(SIG_BLOCK, mask(ModelThread.RESTART));
    Task clone = kernel.findTask(kernel.doFork(Kernel.CLONE_SIGHAND | SIGCHLD));
    app.consumer.task = main;
    app.producer.task = clone;
    kernel.attachProgram(main, app.consumer);
    kernel.attachProgram(clone, app.producer);
    return app;
  }

  /** @return the two threads, consumer first */
  public List<ModelThread> threads() {
    return List.of(consumer, producer);
  }

  /** @return how many items the consumer took */
  public int consumed() {
    return consumed;
  }

  /** @return how many items arrived out of order (0 when every item came once, in order) */
  public int outOfOrder() {
    return outOfOrder;
  }

  /** @return how many items were to be transferred */
  public int items() {
    return items;
  }

  // -----------------------------------------------------------------------------------------------------------
  // The two threads
  // -----------------------------------------------------------------------------------------------------------

  /** Puts 0, 1, 2, … into the buffer. */
  private final class Producer extends ModelThread {

    private static final int LOCK = 0;
    private static final int CHECK = 1;
    private static final int RELOCK = 2;
    private static final int PUT = 3;
    private static final int SIGNAL = 4;
    private static final int UNLOCK = 5;
    private static final int EXIT = 6;

    /** The next item to produce. */
    private int next;

    @Override
    protected void run(final Kernel kernel, final Task self) {
      switch (pc) {
        case LOCK, RELOCK -> {
          if (mutex.lock(this)) {
            pc = CHECK;
          } else {
            suspendThen(CHECK);
          }
        }
        case CHECK -> {
          if (count == buffer.length) {
            notFull.waitBegin(this, mutex, kernel);
            suspendThen(RELOCK);
          } else {
            pc = PUT;
          }
        }
        case PUT -> {
          buffer[in] = next++;
          in = (in + 1) % buffer.length;
          count++;
          pc = SIGNAL;
        }
        case SIGNAL -> {
          notEmpty.signal(kernel);
          pc = UNLOCK;
        }
        case UNLOCK -> {
          mutex.unlock(kernel);
          pc = next == items ? EXIT : LOCK;
        }
        case EXIT -> exit(kernel);
        default -> throw new IllegalStateException("producer: no state " + pc);
      }
    }
  }

  /** Takes items out of the buffer and checks their order. */
  private final class Consumer extends ModelThread {

    private static final int LOCK = 0;
    private static final int CHECK = 1;
    private static final int RELOCK = 2;
    private static final int TAKE = 3;
    private static final int SIGNAL = 4;
    private static final int UNLOCK = 5;
    private static final int EXIT = 6;

    @Override
    protected void run(final Kernel kernel, final Task self) {
      switch (pc) {
        case LOCK, RELOCK -> {
          if (mutex.lock(this)) {
            pc = CHECK;
          } else {
            suspendThen(CHECK);
          }
        }
        case CHECK -> {
          if (count == 0) {
            notEmpty.waitBegin(this, mutex, kernel);
            suspendThen(RELOCK);
          } else {
            pc = TAKE;
          }
        }
        case TAKE -> {
          int item = buffer[out];
          out = (out + 1) % buffer.length;
          count--;
          if (item != consumed) {
            outOfOrder++;
          }
          consumed++;
          pc = SIGNAL;
        }
        case SIGNAL -> {
          notFull.signal(kernel);
          pc = UNLOCK;
        }
        case UNLOCK -> {
          mutex.unlock(kernel);
          pc = consumed == items ? EXIT : LOCK;
        }
        case EXIT -> exit(kernel);
        default -> throw new IllegalStateException("consumer: no state " + pc);
      }
    }
  }
}
