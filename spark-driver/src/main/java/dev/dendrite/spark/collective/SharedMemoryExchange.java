package dev.dendrite.spark.collective;

import java.util.Map;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The all-reduce of a group whose ranks are all threads of this JVM (Spark's local mode): the ranks
 * publish their arrays, each owner adds its slice of every rank's array in rank order — the same float
 * (double) additions in the same order as over the sockets, so the same bits — and every rank copies the
 * summed slices back. Nothing is serialized or copied through the kernel. The group's sockets stay open:
 * they formed and authenticated the group, and closing them still tells the peers. Every wait is bounded
 * by the group's timeout; a rank that leaves ({@link #close}) breaks the others' waits at once.
 */
final class SharedMemoryExchange {

  /** Groups being formed in this JVM, by a key every rank of one group derives alike. */
  private static final Map<String, Joining> FORMING = new ConcurrentHashMap<>();

  private final int size;
  private final CyclicBarrier barrier;
  private final Object[] published;   // by rank: the array of the call in progress
  private final Object[] sums;        // by rank: that rank's summed slice
  private final long[] longs;

  private SharedMemoryExchange(int size) {
    this.size = size;
    this.barrier = new CyclicBarrier(size);
    this.published = new Object[size];
    this.sums = new Object[size];
    this.longs = new long[size];
  }

  /** The ranks that have come for one group's exchange; the last one removes it from {@link #FORMING}. */
  private static final class Joining {
    final SharedMemoryExchange exchange;
    int arrived;

    Joining(int size) {
      this.exchange = new SharedMemoryExchange(size);
    }
  }

  /** The exchange of the group {@code key} (every rank of the group must pass the same key and size). */
  static SharedMemoryExchange join(String key, int size) {
    Joining joining = FORMING.computeIfAbsent(key, k -> new Joining(size));
    synchronized (joining) {
      if (++joining.arrived == size) {
        FORMING.remove(key);
      }
    }
    return joining.exchange;
  }

  /** The number of groups still forming in this JVM (for tests: none once every rank has joined). */
  static int forming() {
    return FORMING.size();
  }

  /** A slice bound, as the socket exchange cuts the vector. */
  private int sliceStart(int length, int slice) {
    return (int) ((long) length * slice / size);
  }

  void allReduce(int rank, float[] data, long timeoutNanos, String name) throws CollectiveException {
    published[rank] = data;
    await(timeoutNanos, name, "publish");
    int from = sliceStart(data.length, rank);
    int to = sliceStart(data.length, rank + 1);
    float[] sum = sums[rank] instanceof float[] f && f.length >= to - from ? f : new float[to - from];
    for (int i = from; i < to; i++) {
      float acc = ((float[]) published[0])[i];
      for (int r = 1; r < size; r++) {
        acc += ((float[]) published[r])[i];
      }
      sum[i - from] = acc;
    }
    sums[rank] = sum;
    await(timeoutNanos, name, "sum");
    for (int owner = 0; owner < size; owner++) {
      int start = sliceStart(data.length, owner);
      System.arraycopy((float[]) sums[owner], 0, data, start, sliceStart(data.length, owner + 1) - start);
    }
    await(timeoutNanos, name, "gather");
  }

  void allReduce(int rank, double[] data, long timeoutNanos, String name) throws CollectiveException {
    published[rank] = data;
    await(timeoutNanos, name, "publish");
    int from = sliceStart(data.length, rank);
    int to = sliceStart(data.length, rank + 1);
    double[] sum = new double[to - from];
    for (int i = from; i < to; i++) {
      double acc = ((double[]) published[0])[i];
      for (int r = 1; r < size; r++) {
        acc += ((double[]) published[r])[i];
      }
      sum[i - from] = acc;
    }
    Object keep = sums[rank];
    sums[rank] = sum;
    await(timeoutNanos, name, "sum");
    for (int owner = 0; owner < size; owner++) {
      int start = sliceStart(data.length, owner);
      System.arraycopy((double[]) sums[owner], 0, data, start, sliceStart(data.length, owner + 1) - start);
    }
    await(timeoutNanos, name, "gather");
    sums[rank] = keep; // keep the float scratch of the step's vector for the next float call
  }

  long[] allGather(int rank, long value, long timeoutNanos, String name) throws CollectiveException {
    longs[rank] = value;
    await(timeoutNanos, name, "publish");
    long[] all = longs.clone();
    await(timeoutNanos, name, "gather");
    return all;
  }

  /** Breaks every rank's wait: a rank left the group. */
  void leave() {
    barrier.reset();
  }

  private void await(long timeoutNanos, String name, String phase) throws CollectiveException {
    try {
      barrier.await(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      barrier.reset();
      throw new CollectiveException(name + ": a rank of this JVM did not reach the " + phase + " phase within "
          + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", -1);
    } catch (BrokenBarrierException e) {
      throw new CollectiveException(name + ": another rank of this JVM left the group or failed during the "
          + phase + " phase", -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      barrier.reset();
      throw new CollectiveException(name + ": interrupted during the " + phase + " phase", -1);
    }
  }
}
