package dev.dendrite.core.train;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed crew of worker threads that run one task per training step together with the calling thread:
 * {@link #run} hands task index {@code i} to worker {@code i} (index 0 to the caller) and returns when
 * all are done; inside the task, {@link #await} is a barrier among the participants.
 *
 * <p>A step takes about a millisecond, so the hand-offs must cost microseconds, not the tens of
 * microseconds a thread pool's queue and futures cost when a parked thread has to be woken: waiting
 * threads spin on a volatile counter ({@link Thread#onSpinWait}) for up to {@link #SPIN_NANOS} and only
 * then park. Between steps the workers therefore spin briefly and then sleep; a crew whose steps stop
 * costs nothing. A thread is unparked only when it says it has parked: an unconditional
 * {@code LockSupport.unpark} per step and per worker (a lock and a condition signal inside the VM) cost
 * about 1.5 % of a two-thread MLP step.
 *
 * <p>If a task throws, the other participants leave their barrier and {@link #run} rethrows the first
 * failure in the caller.
 */
final class WorkerCrew implements AutoCloseable {

  /** How long a waiting thread spins before it parks: longer than a step's phases, short beside a pause. */
  static final long SPIN_NANOS = 200_000;

  private final Thread[] workers; // worker i runs task index i + 1
  private final AtomicInteger arrived = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private volatile long generation;     // bumped by run(): a new task is published
  private volatile long barrierRound;   // bumped by the last thread to reach await()
  private volatile IntConsumer task;
  private volatile int parties;
  private volatile Throwable failure;
  private volatile boolean closed;
  private volatile Thread caller;
  // Set by a thread just before it parks and cleared when it wakes; whoever publishes what it waits
  // for reads the flag after publishing, so either the thread sees the news or it is unparked.
  private final AtomicIntegerArray workerParked;
  private volatile boolean callerParked;

  WorkerCrew(int workers, String name) {
    this.workers = new Thread[workers];
    this.workerParked = new AtomicIntegerArray(workers);
    for (int i = 0; i < workers; i++) {
      int index = i + 1;
      Thread t = new Thread(() -> loop(index), name + "-" + index);
      t.setDaemon(true);
      this.workers[i] = t;
    }
    for (Thread t : this.workers) {
      t.start();
    }
  }

  /**
   * Runs {@code task.accept(i)} for {@code i} in {@code [0, parties)}, index 0 on this thread, and returns
   * when all have returned. {@code parties} is at most the number of workers + 1.
   */
  void run(int parties, IntConsumer task) {
    if (parties < 1 || parties > workers.length + 1) {
      throw new IllegalArgumentException("parties must be in [1, " + (workers.length + 1) + "], got " + parties);
    }
    this.task = task;
    this.parties = parties;
    this.failure = null;
    this.caller = Thread.currentThread();
    arrived.set(0);
    finished.set(0);
    generation++; // publishes the fields above to the workers (volatile write)
    for (int i = 0; i < parties - 1; i++) {
      if (workerParked.get(i) != 0) {
        LockSupport.unpark(workers[i]);
      }
    }
    try {
      task.accept(0);
    } catch (Throwable t) {
      fail(t);
    }
    long start = System.nanoTime();
    while (finished.get() < parties - 1) {
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        callerParked = true;
        if (finished.get() < parties - 1) {
          LockSupport.parkNanos(this, 50_000);
        }
        callerParked = false;
      }
    }
    Throwable t = failure;
    if (t != null) {
      if (t instanceof RuntimeException e) {
        throw e;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new IllegalStateException(t);
    }
  }

  /**
   * The barrier inside a task: returns when all {@code parties} of the current {@link #run} have called
   * it. Throws {@link CrewFailure} when another participant failed instead, so no thread waits forever.
   */
  void await() {
    long round = barrierRound;
    if (arrived.incrementAndGet() == parties) {
      arrived.set(0);
      barrierRound = round + 1;
      return;
    }
    long start = System.nanoTime();
    while (barrierRound == round) {
      if (failure != null) {
        throw new CrewFailure();
      }
      if (System.nanoTime() - start < SPIN_NANOS) {
        Thread.onSpinWait();
      } else {
        LockSupport.parkNanos(this, 20_000);
      }
    }
  }

  private void loop(int index) {
    long seen = 0;
    while (!closed) {
      long start = System.nanoTime();
      while (generation == seen && !closed) {
        if (System.nanoTime() - start < SPIN_NANOS) {
          Thread.onSpinWait();
        } else {
          workerParked.set(index - 1, 1);
          if (generation == seen && !closed) {
            LockSupport.park(this);
          }
          workerParked.set(index - 1, 0);
        }
      }
      if (closed) {
        return;
      }
      seen = generation;
      if (index < parties) {
        try {
          task.accept(index);
        } catch (Throwable t) {
          fail(t);
        }
        finished.incrementAndGet();
        if (callerParked) {
          LockSupport.unpark(caller);
        }
      }
    }
  }

  private void fail(Throwable t) {
    if (t instanceof CrewFailure) {
      return; // a participant that left a barrier because another one failed
    }
    synchronized (this) {
      if (failure == null) {
        failure = t;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : workers) {
      LockSupport.unpark(t);
    }
  }

  /** Thrown out of {@link #await} in the participants that did not fail themselves. */
  static final class CrewFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CrewFailure() {
      super("another thread of the step failed", null, false, false);
    }
  }
}
