package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigException;
import dev.dendrite.core.config.ConfigMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How training is spread over Spark: the mode ({@code allreduce}: one gradient all-reduce per step;
 * {@code averaging}: k local steps per partition, then a weighted parameter average; {@code collective}:
 * all-reduce between the tasks of one long-lived barrier job, no Spark job per step; {@code auto}:
 * collective when every partition can run at once, else measure and choose), the averaging frequency k,
 * the number of partitions (0 = the cluster's task slots), how the per-partition vectors are summed
 * ({@code shards}: 0 = choose by size — each task sends its vector straight to the driver while
 * partitions × parameters fit in {@link DeterministicSum#DIRECT_BUDGET_BYTES}, otherwise the sum is
 * reduced on the executors; a number ≥ 1 always reduces on the executors in that many slices, so the
 * driver receives one vector whatever the partition count), where checkpoints go, how often, and how
 * many are kept ({@code checkpoint_keep}, default 3: a damaged latest checkpoint falls back to the one
 * before), how a step's vectors travel ({@code exchange}: {@code auto} hands them over by reference when
 * the tasks run in the driver's JVM, as with a {@code local[n]} master, and goes through Spark — a
 * broadcast out, task results back — otherwise; {@code spark} always goes through Spark;
 * {@code collective} between the tasks of one barrier job), the collective transport's settings, and
 * {@code executor_timeout} (seconds; 0 = wait forever), which ends training with
 * {@link NoExecutorsException} once a cluster has had no executor for that long. Every way of moving the
 * vectors gives bit-identical results.
 */
public record DistributedConfig(TrainingMode mode, int averagingFrequency, int partitions, int shards,
                                String checkpointDir, int checkpointEvery, Exchange exchange, int checkpointKeep,
                                int executorTimeoutSeconds, CollectiveSettings collective) {

  public static final List<String> MODES = List.of("allreduce", "averaging", "collective", "auto");
  /** How long training waits for an executor when a cluster has none, by default (5 minutes). */
  public static final int DEFAULT_EXECUTOR_TIMEOUT_SECONDS = 300;
  /** The longest accepted {@code executor_timeout}: a week. */
  public static final int MAX_EXECUTOR_TIMEOUT_SECONDS = 7 * 24 * 3600;

  /**
   * How a step's vectors travel: {@code auto} and {@code spark} as {@link VectorExchange} reads them;
   * {@code collective} between the tasks of one long-lived barrier job (mode {@code collective} is
   * all-reduce this way; averaging this way costs one peer all-reduce per round, no Spark job).
   */
  public static final List<String> EXCHANGES = List.of("auto", "spark", "collective");

  public DistributedConfig {
    if (mode == null) {
      throw new ConfigException("mode", "is required; one of " + MODES);
    }
    if (averagingFrequency < 1) {
      throw new ConfigException("averaging_frequency", "must be >= 1, got " + averagingFrequency);
    }
    if (partitions < 0) {
      throw new ConfigException("partitions", "must be >= 0 (0 = one per task slot), got " + partitions);
    }
    if (shards < 0) {
      throw new ConfigException("shards", "must be >= 0 (0 = choose by size), got " + shards);
    }
    if (checkpointEvery < 0) {
      throw new ConfigException("checkpoint_every", "must be >= 0 (0 = every epoch), got " + checkpointEvery);
    }
    if (exchange == null) {
      throw new ConfigException("exchange", "is required; one of " + EXCHANGES);
    }
    if (checkpointKeep < 1) {
      throw new ConfigException("checkpoint_keep", "must be >= 1 (how many checkpoints to keep), got "
          + checkpointKeep);
    }
    if (executorTimeoutSeconds < 0 || executorTimeoutSeconds > MAX_EXECUTOR_TIMEOUT_SECONDS) {
      throw new ConfigException("executor_timeout", executorTimeoutSeconds + " is out of range; expected seconds"
          + " in [0, " + MAX_EXECUTOR_TIMEOUT_SECONDS + "] (0 = wait for executors forever)");
    }
    if (collective == null) {
      collective = CollectiveSettings.defaults();
    }
  }

  /** The settings before {@code checkpoint_keep}, {@code executor_timeout} and {@code collective} existed, with their defaults. */
  public DistributedConfig(String mode, int averagingFrequency, int partitions, int shards, String checkpointDir,
                           int checkpointEvery, String exchange) {
    this(TrainingMode.parse(mode), averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        Exchange.parse(exchange), CheckpointStore.DEFAULT_KEEP, DEFAULT_EXECUTOR_TIMEOUT_SECONDS,
        CollectiveSettings.defaults());
  }

  /** The settings before {@code exchange} existed, with {@code exchange: auto}. */
  public DistributedConfig(String mode, int averagingFrequency, int partitions, int shards, String checkpointDir,
                           int checkpointEvery) {
    this(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery, "auto");
  }

  /** All-reduce every step, one partition per task slot, no checkpoints. */
  public static DistributedConfig defaults() {
    return new DistributedConfig("allreduce", 1, 0, 0, null, 0);
  }

  public DistributedConfig withMode(String mode, int averagingFrequency) {
    return withMode(TrainingMode.parse(mode), averagingFrequency);
  }

  public DistributedConfig withMode(TrainingMode mode, int averagingFrequency) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, executorTimeoutSeconds, collective);
  }

  public DistributedConfig withPartitions(int partitions) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, executorTimeoutSeconds, collective);
  }

  public DistributedConfig withShards(int shards) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, executorTimeoutSeconds, collective);
  }

  public DistributedConfig withCheckpoints(String dir, int every) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, dir, every, exchange, checkpointKeep,
        executorTimeoutSeconds, collective);
  }

  /** Keeps the newest {@code keep} checkpoints. */
  public DistributedConfig withCheckpointKeep(int keep) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, keep, executorTimeoutSeconds, collective);
  }

  public DistributedConfig withExchange(String exchange) {
    return withExchange(Exchange.parse(exchange));
  }

  public DistributedConfig withExchange(Exchange exchange) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, executorTimeoutSeconds, collective);
  }

  public DistributedConfig withCollective(CollectiveSettings collective) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, executorTimeoutSeconds, collective);
  }

  /** Training fails after {@code seconds} without an executor (0 = waits forever). */
  public DistributedConfig withExecutorTimeout(int seconds) {
    return new DistributedConfig(mode, averagingFrequency, partitions, shards, checkpointDir, checkpointEvery,
        exchange, checkpointKeep, seconds, collective);
  }

  /** Whether the steps run in one barrier job whose tasks all-reduce with each other. */
  public boolean collectiveTransport() {
    return mode == TrainingMode.COLLECTIVE || exchange == Exchange.COLLECTIVE;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode.key());
    m.put("averaging_frequency", averagingFrequency);
    m.put("partitions", partitions);
    m.put("shards", shards);
    if (checkpointDir != null) {
      m.put("checkpoint_dir", checkpointDir);
    }
    m.put("checkpoint_every", checkpointEvery);
    m.put("exchange", exchange.key());
    m.put("checkpoint_keep", checkpointKeep);
    m.put("executor_timeout", executorTimeoutSeconds);
    m.put("collective", collective.toMap());
    return m;
  }

  public static DistributedConfig read(ConfigMap m) {
    DistributedConfig c = new DistributedConfig(TrainingMode.parse(m.choice("mode", "allreduce", MODES)),
        m.integer("averaging_frequency", 1, 1, 1_000_000), m.integer("partitions", 0, 0, 1_000_000),
        m.integer("shards", 0, 0, 100_000), m.string("checkpoint_dir", null),
        m.integer("checkpoint_every", 0, 0, Integer.MAX_VALUE),
        Exchange.parse(m.choice("exchange", "auto", EXCHANGES)),
        m.integer("checkpoint_keep", CheckpointStore.DEFAULT_KEEP, 1, 1_000_000),
        m.integer("executor_timeout", DEFAULT_EXECUTOR_TIMEOUT_SECONDS, 0, MAX_EXECUTOR_TIMEOUT_SECONDS),
        CollectiveSettings.read(m.section("collective")));
    m.finish();
    return c;
  }
}
