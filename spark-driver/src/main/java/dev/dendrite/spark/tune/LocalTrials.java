package dev.dendrite.spark.tune;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.LocalTrainer;
import dev.dendrite.core.train.TrainingConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Runs trials in parallel as Spark tasks, one trial per task slot: each task trains one configuration on
 * one core with core's {@link LocalTrainer} over the run's {@link TrialData}. The data travels once per
 * executor in a broadcast, and each executor JVM keeps it in a static cache keyed by the broadcast's id, so a
 * hundred trials on one executor read it once. Every trial is its own one-task Spark job, submitted at
 * once from a driver thread, so Spark fills the free slots in submission order and the driver hears each
 * trial the moment it ends (the progress line) while the results stay in trial order.
 */
public final class LocalTrials implements AutoCloseable {

  /** What one trial trains: its {@code network} and {@code training} sections as the config file has them. */
  public record Spec(int index, Map<String, Object> network, Map<String, Object> training, String label)
      implements Serializable {
  }

  /**
   * A finished trial: its history ({@link History#toJsonMap()}), seconds of training, the executor it ran
   * on, and when its training started and ended (the executor's clock, ms since the epoch).
   */
  public record Outcome(int index, Map<String, Object> history, double seconds, String executor, long startedMillis,
                        long endedMillis) implements Serializable {
  }

  /** The data each executor JVM holds, by broadcast id: at most the latest run's. */
  private static final Map<Long, TrialData> HELD = new ConcurrentHashMap<>();
  private static final AtomicInteger READS = new AtomicInteger();

  private static final int MAX_DRIVER_THREADS = 64;

  private final JavaSparkContext sc;
  private final Broadcast<TrialData> data;

  public LocalTrials(JavaSparkContext sc, TrialData data) {
    this.sc = sc;
    this.data = sc.broadcast(data);
  }

  /**
   * Runs {@code specs}; {@code finished} hears each outcome on the calling thread as its trial ends.
   * Returns the outcomes in {@code specs}' order. A failing trial cancels the others and its error is
   * thrown.
   */
  public List<Outcome> run(List<Spec> specs, Consumer<Outcome> finished) {
    if (specs.isEmpty()) {
      return List.of();
    }
    String group = String.format(Locale.ROOT, "dendrite-tune-%x", System.nanoTime());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(specs.size(), MAX_DRIVER_THREADS), r -> {
      Thread t = new Thread(r, "dendrite-tune-trial");
      t.setDaemon(true);
      return t;
    });
    ExecutorCompletionService<Outcome> done = new ExecutorCompletionService<>(pool);
    Broadcast<TrialData> shipped = data;
    try {
      for (Spec spec : specs) {
        done.submit(() -> {
          sc.setJobGroup(group, "dendrite tune", true);
          sc.setJobDescription("dendrite tune: trial " + spec.index() + " (" + spec.label() + ")");
          return sc.parallelize(List.of(spec), 1).map(s -> train(s, shipped)).collect().get(0);
        });
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < specs.size(); i++) {
        Future<Outcome> next = done.take();
        Outcome o = next.get();
        outcomes.add(o);
        try {
          finished.accept(o);
        } catch (RuntimeException e) { // the caller refuses the outcome: the other trials are not needed
          sc.cancelJobGroup(group);
          throw e;
        }
      }
      outcomes.sort(Comparator.comparingInt(Outcome::index));
      return outcomes;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sc.cancelJobGroup(group);
      throw new IllegalStateException("interrupted while waiting for trials", e);
    } catch (ExecutionException e) {
      sc.cancelJobGroup(group);
      Throwable cause = e.getCause();
      for (Throwable t = cause; t != null; t = t.getCause()) { // a bad trial config, named by the trial
        if (t instanceof IllegalArgumentException bad) {
          throw bad;
        }
      }
      throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Trains one trial on this executor (one core: one training thread). */
  static Outcome train(Spec spec, Broadcast<TrialData> shipped) {
    TrialData d = held(shipped);
    NetworkConfig networkConfig = NetworkConfig.read(new ConfigMap("network", spec.network()));
    TrainingConfig training = TrainingConfig.read(new ConfigMap("training", spec.training())).withThreads(1);
    Network network = new Network(networkConfig).initialize(training.seed());
    long startedMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    History history = new LocalTrainer(training).fit(network, d.train(), d.validation());
    double seconds = (System.nanoTime() - start) / 1e9;
    SparkEnv env = SparkEnv.get();
    return new Outcome(spec.index(), history.toJsonMap(), seconds, env == null ? "driver" : env.executorId(),
        startedMillis, System.currentTimeMillis());
  }

  /**
   * This JVM's copy of the run's data, read from the broadcast by the first trial here that needs it (the
   * broadcast's id names the data within the application); an older run's copy is dropped.
   */
  private static TrialData held(Broadcast<TrialData> shipped) {
    synchronized (HELD) {
      TrialData d = HELD.get(shipped.id());
      if (d == null) {
        HELD.clear();
        d = shipped.value();
        READS.incrementAndGet();
        HELD.put(shipped.id(), d);
      }
      return d;
    }
  }

  /** How many times this JVM read a run's data from its broadcast (for tests: once per executor and run). */
  public static int readsInThisJvm() {
    return READS.get();
  }

  /** Frees the broadcast on the executors and this JVM's held copy. */
  @Override
  public void close() {
    HELD.remove(data.id());
    data.destroy();
  }
}
