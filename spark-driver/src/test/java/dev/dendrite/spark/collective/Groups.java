package dev.dendrite.spark.collective;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Test support: a tracker and n ranks on threads of this JVM, over loopback. */
final class Groups implements AutoCloseable {

  static final String HOST = "127.0.0.1";

  interface PerRank<T> {
    T run(CollectiveGroup group) throws Exception;
  }

  final RunSecret secret = RunSecret.random();
  final Tracker tracker;
  final List<CollectiveGroup> ranks = new ArrayList<>();
  private final ExecutorService threads;

  private Groups(int n, Duration timeout, boolean sameJvmShortcut) throws Exception {
    threads = Executors.newFixedThreadPool(n + 1, r -> {
      Thread t = new Thread(r, "test-rank");
      t.setDaemon(true);
      return t;
    });
    tracker = Tracker.start(HOST, n, secret, PortRange.any(), timeout);
    List<Future<CollectiveGroup>> joins = new ArrayList<>();
    for (int r = 0; r < n; r++) {
      int rank = r;
      joins.add(threads.submit(() -> CollectiveGroup.join(rank, n, tracker.address(), secret, HOST, PortRange.any(),
          timeout, sameJvmShortcut)));
    }
    for (Future<CollectiveGroup> join : joins) {
      ranks.add(join.get());
    }
  }

  /** Forms a group of {@code n} ranks. */
  static Groups form(int n, Duration timeout) throws Exception {
    return new Groups(n, timeout, false);
  }

  /** Forms a group of {@code n} ranks that may all-reduce through memory (they are threads of this JVM). */
  static Groups formSharingMemory(int n, Duration timeout) throws Exception {
    return new Groups(n, timeout, true);
  }

  static CollectiveGroup join(int rank, int n, InetSocketAddress tracker, RunSecret secret, Duration timeout)
      throws Exception {
    return CollectiveGroup.join(rank, n, tracker, secret, HOST, PortRange.any(), timeout);
  }

  /** Runs {@code body} on every rank at once; the results by rank, or the first failure. */
  <T> List<T> onEveryRank(PerRank<T> body) throws Exception {
    List<Future<T>> futures = new ArrayList<>();
    for (CollectiveGroup group : ranks) {
      futures.add(threads.submit(() -> body.run(group)));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> f : futures) {
      try {
        results.add(f.get());
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      }
    }
    return results;
  }

  /** Runs {@code body} on every rank at once; each rank's result or the exception it threw. */
  List<Object> outcomes(PerRank<?> body) throws InterruptedException {
    List<Future<?>> futures = new ArrayList<>();
    for (CollectiveGroup group : ranks) {
      futures.add(threads.submit(() -> body.run(group)));
    }
    List<Object> outcomes = new ArrayList<>();
    for (Future<?> f : futures) {
      try {
        outcomes.add(f.get());
      } catch (ExecutionException e) {
        outcomes.add(e.getCause());
      }
    }
    return outcomes;
  }

  @Override
  public void close() {
    for (CollectiveGroup group : ranks) {
      group.close();
    }
    tracker.close();
    threads.shutdownNow();
  }
}
