/**
 * The application of the paper's §4.2: a producer/consumer synchronized the way LinuxThreads synchronized threads,
 * with signals.
 *
 * <p>LinuxThreads made each thread a process sharing its parent's memory and sigaction table, and built mutexes and
 * conditions on one signal: a thread that must wait queues itself and {@code sigsuspend}s until it receives the
 * restart signal, and the thread that releases it sends that signal with {@code kill}. So a program that only uses
 * mutexes spends a good part of its time in the kill path, which is why the paper's specialization sped it up by
 * 2.11x.
 *
 * <p>{@link org.quasi.cases.signals.app.ProducerConsumer} is that program for the kernel model. Model threads are
 * state machines ({@link org.quasi.cases.signals.app.ModelThread}) so that the model kernel itself can schedule them
 * ({@link org.quasi.cases.signals.RunLoop}): then the signals cost what the kernel model makes them cost, as in the
 * paper, where the threads ran on the kernel being measured. The same program also runs on real Java threads
 * ({@link org.quasi.cases.signals.app.ThreadedRun}), where handing the processor from one Java thread to another
 * costs far more than the signal and hides the specialization: we report it, without a target.
 */
package org.quasi.cases.signals.app;
