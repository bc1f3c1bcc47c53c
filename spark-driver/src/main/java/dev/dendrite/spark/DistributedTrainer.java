package dev.dendrite.spark;

import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.network.NetworkConfig;
import dev.dendrite.core.train.ClassWeight;
import dev.dendrite.core.train.EpochSampler;
import dev.dendrite.core.train.History;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.StepRunner;
import dev.dendrite.core.train.TrainingConfig;
import dev.dendrite.core.train.TrainingListener;
import dev.dendrite.core.train.TrainingLoop;
import dev.dendrite.spark.data.Blocks;
import dev.dendrite.spark.data.ClassWeightedBlocks;
import dev.dendrite.spark.data.DataBlock;
import dev.dendrite.spark.data.Example;
import dev.dendrite.spark.data.TrainingData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a network data-parallel on Spark. The data is converted once into cached dense blocks, one
 * per partition (by default one per task slot); every step then runs on the executors next to those
 * blocks while the driver keeps one copy of the parameters and the optimizer.
 *
 * <pre>{@code
 * DistributedTrainer trainer = new DistributedTrainer(training, DistributedConfig.defaults());
 * History history = trainer.fit(network, trainDf, validationDf);   // network now holds the trained weights
 * }</pre>
 */
public final class DistributedTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

  /**
   * Auto mode averages at least this often per epoch, whatever the overhead: replicas that run a whole
   * epoch of Adam steps apart drift. On Fashion-MNIST (MLP, 20 epochs, local[2], seeds 1, 2, 3 and 42)
   * averaging every 215, 107 or 53 steps (2, 4 or 8 rounds per epoch) ended 0.08–0.35 pp below the
   * single-JVM test accuracy with no trend in the frequency (means 0.16, 0.27, 0.15 pp), while once
   * per epoch lost 0.43 pp in the one run we made.
   */
  static final int MIN_AVERAGING_ROUNDS_PER_EPOCH = 2;

  private final TrainingConfig training;
  private final DistributedConfig distributed;
  private final List<TrainingListener> listeners = new ArrayList<>();
  private String featuresCol = "features";
  private String labelCol = "label";
  private String weightCol;
  private Choice choice;

  /**
   * How the last run trained: the mode (for {@code auto}, the one it chose) and the averaging frequency
   * (1 for all-reduce; 0 for collective all-reduce).
   */
  public record Choice(TrainingMode mode, int averagingFrequency) {
  }

  public DistributedTrainer(TrainingConfig training, DistributedConfig distributed) {
    this.training = training;
    this.distributed = distributed;
  }

  public DistributedTrainer listener(TrainingListener listener) {
    listeners.add(listener);
    return this;
  }

  /** How the last {@code fit} trained (see {@link Choice}), or null before the first. */
  public Choice lastChoice() {
    return choice;
  }

  /** Column names of DataFrame input (defaults {@code features}, {@code label}, no weights). */
  public DistributedTrainer columns(String features, String label, String weight) {
    this.featuresCol = features;
    this.labelCol = label;
    this.weightCol = weight;
    return this;
  }

  /**
   * Trains on a DataFrame, validating on another (nullable) after each epoch; the frames pass the data
   * boundary ({@link TrainingData#fromFrames}) into cached blocks, freed when training ends.
   */
  public History fit(Network network, Dataset<Row> train, Dataset<Row> validation) {
    TrainingData data = TrainingData.fromFrames(train, validation, featuresCol, labelCol, weightCol, network,
        training, partitions(JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext())));
    try {
      return fitBlocks(network, data.train, data.validation);
    } finally {
      data.release();
    }
  }

  /** The configured number of partitions, by default one per task slot. */
  private int partitions(JavaSparkContext sc) {
    return distributed.partitions() > 0 ? distributed.partitions() : sc.defaultParallelism();
  }

  /** Trains on an RDD of examples (targets already in the loss's form), validating on another (nullable). */
  public History fitExamples(Network network, JavaRDD<Example> train, JavaRDD<Example> validation) {
    int partitions = partitions(JavaSparkContext.fromSparkContext(train.context()));
    int targetWidth = network.targetWidth(training.createLoss());
    JavaRDD<DataBlock> blocks = Blocks.toBlocks(train, partitions, network.inputSize(), targetWidth);
    JavaRDD<DataBlock> validationBlocks = validation == null ? null
        : Blocks.toBlocks(validation, partitions, network.inputSize(), targetWidth);
    try {
      return fitBlocks(network, blocks, validationBlocks);
    } finally {
      blocks.unpersist(false);
      if (validationBlocks != null) {
        validationBlocks.unpersist(false);
      }
    }
  }

  /**
   * Trains on blocks already converted and cached (see {@link Blocks#toBlocks}). On a cluster that has no
   * executor for {@code distributed.executor_timeout} seconds, fails with {@link NoExecutorsException}.
   */
  public History fitBlocks(Network network, JavaRDD<DataBlock> blocks, JavaRDD<DataBlock> validation) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(blocks.context());
    String group = String.format(Locale.ROOT, "dendrite-%x", System.nanoTime());
    sc.setJobGroup(group, "dendrite train", true);
    ExecutorWatchdog watchdog = ExecutorWatchdog.start(sc.sc(), group, distributed.executorTimeoutSeconds());
    JavaRDD<DataBlock> weighted = null;
    try {
      if (training.classWeight() == ClassWeight.BALANCED) {
        sc.setJobDescription("dendrite train: counting the examples of each class (class_weight: balanced)");
        weighted = ClassWeightedBlocks.balanced(blocks, Task.of(training.loss(), network.outputSize()),
            network.outputSize());
      }
      return fitBlocks(sc, network, weighted != null ? weighted : blocks, validation);
    } catch (Exception e) { // the cancelled job's SparkException arrives unchecked through Scala
      NoExecutorsException gone = watchdog.failure();
      if (gone != null) {
        gone.initCause(e);
        throw gone;
      }
      throw e;
    } finally {
      if (weighted != null) {
        weighted.unpersist(false);
      }
      watchdog.close();
      sc.clearJobGroup();
    }
  }

  private History fitBlocks(JavaSparkContext sc, Network network, JavaRDD<DataBlock> blocks,
                            JavaRDD<DataBlock> validation) {
    sc.setJobDescription("dendrite train: caching " + blocks.getNumPartitions() + " data blocks");
    long examples = blocks.map(DataBlock::size).fold(0, Integer::sum);
    if (examples == 0) {
      throw new IllegalArgumentException("the training data has no examples");
    }
    int steps = EpochSampler.stepsPerEpoch(examples, training.batchSize());
    LOG.info("dendrite: {} examples in {} partitions, global batch {}, {} steps per epoch, mode {}",
        examples, blocks.getNumPartitions(), training.batchSize(), steps, distributed.mode());
    ExecutorBlasThreads.warnIfTasksCompete(sc.sc(), network.gemmName(), blocks.getNumPartitions());
    CheckpointStore store = null;
    CheckpointStore.Restored restored = null;
    if (distributed.checkpointDir() != null) {
      store = new CheckpointStore(distributed.checkpointDir(), sc.hadoopConfiguration(),
          configKey(network.config(), training, distributed),
          CheckpointStore.runKey(runDescription(network, blocks.getNumPartitions(), examples)),
          distributed.checkpointKeep());
      restored = store.latest().orElse(null);
      try {
        store.checkWritable(); // now, not at the first checkpoint an epoch from now
      } catch (IOException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    Object savedK = restored == null ? null : restored.extra().get("averaging_frequency");
    Integer resumedK = savedK == null ? null : ((Number) savedK).intValue();
    if (collective(sc, blocks.getNumPartitions(), resumedK)) {
      choice = new Choice(TrainingMode.COLLECTIVE,
          distributed.mode() == TrainingMode.AVERAGING ? distributed.averagingFrequency() : 0);
      return fitCollective(sc, network, blocks, validation, examples, steps, store, restored);
    }
    VectorExchange exchange = VectorExchange.choose(sc, blocks, distributed.exchange());
    LOG.info("dendrite: vectors travel {}", exchange.name().equals("spark")
        ? "through Spark (broadcast out, task results back)" : "in-process (tasks run in the driver's JVM)");
    SparkTrainingContext context = new SparkTrainingContext(network, training, distributed, examples, steps,
        blocks.getNumPartitions(), validation, exchange);
    ParameterUpdate update = new ParameterUpdate(network.layout(), training.optimizer().create(),
        training.clipping());
    TrainingLoop loop = new TrainingLoop(training).listeners(listeners);
    StepRunner runner = runner(sc, blocks, network, context, steps, resumedK);
    int chosenK = runner instanceof AveragingRunner ? ((AveragingRunner) runner).frequency() : 1;
    choice = new Choice(chosenK == 1 ? TrainingMode.ALLREDUCE : TrainingMode.AVERAGING, chosenK);
    float[] params = network.parameters();
    if (restored != null) {
      System.arraycopy(restored.params(), 0, params, 0, params.length);
      update.optimizer().restore(restored.optimizerState());
      loop.resume(restored.snapshot(), restored.bestParams());
      LOG.info("dendrite: resuming from {} (epoch {}, step {}, {} steps done)", restored.file(),
          restored.snapshot().epoch() + 1, restored.snapshot().step(), restored.snapshot().globalStep());
    }
    if (store != null) {
      CheckpointStore checkpoints = store;
      Map<String, Object> extra = Map.of("averaging_frequency", chosenK);
      loop.checkpointer((snapshot, p, best, state) ->
          checkpoints.save(network.config(), snapshot, p, best, state, extra), distributed.checkpointEvery());
    }
    History history = loop.run(params, update, runner);
    network.setParameters(params);
    return history;
  }

  /** Everything that must match for a checkpoint of another run to be resumed exactly. */
  Map<String, Object> runDescription(Network network, int partitions, long examples) {
    Map<String, Object> d = configDescription(network.config(), training, distributed);
    d.put("partitions", partitions);
    d.put("examples", examples);
    return d;
  }

  /** The part of {@link #runDescription} that the configuration alone decides. */
  private static Map<String, Object> configDescription(NetworkConfig network, TrainingConfig training,
                                                       DistributedConfig distributed) {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("network", network.toMap());
    d.put("training", training.toMap());
    Map<String, Object> dist = new java.util.LinkedHashMap<>(distributed.toMap());
    dist.remove("checkpoint_dir");
    dist.remove("checkpoint_every");
    dist.remove("checkpoint_keep");
    dist.remove("exchange"); // how vectors travel does not change the result
    dist.remove("collective"); // nor do the collective transport's ports, timeouts and attempts
    dist.remove("executor_timeout"); // nor how long to wait for executors
    d.put("distributed", dist);
    return d;
  }

  /** The key of the configuration, written into every checkpoint; known before Spark starts. */
  public static String configKey(NetworkConfig network, TrainingConfig training, DistributedConfig distributed) {
    return CheckpointStore.runKey(configDescription(network, training, distributed));
  }

  /**
   * Checks the configured checkpoint directory before Spark starts (nothing to do without one): it can be
   * created and written, and a checkpoint already there was written with this configuration. See
   * {@link CheckpointStore#checkBeforeStart}.
   */
  public static void checkCheckpointDirectory(NetworkConfig network, TrainingConfig training,
                                              DistributedConfig distributed, Configuration hadoop)
      throws IOException {
    if (distributed.checkpointDir() != null) {
      new CheckpointStore(distributed.checkpointDir(), hadoop, configKey(network, training, distributed), null,
          distributed.checkpointKeep()).checkBeforeStart();
    }
  }

  /**
   * Whether this run trains collectively: always in mode {@code collective} (waiting up to the collective
   * timeout for enough task slots, then failing with the reason); in mode {@code auto} whenever every
   * partition can run at once (else today's measured choice, with the reason logged), unless resuming
   * a checkpoint of parameter averaging.
   */
  private boolean collective(JavaSparkContext sc, int partitions, Integer resumedK) {
    TrainingMode mode = distributed.mode();
    if (distributed.collectiveTransport()) {
      Duration patience = distributed.collective().timeout();
      long deadline = System.nanoTime() + patience.toNanos();
      Optional<String> obstacle = CollectiveRunner.obstacle(sc, partitions);
      while (obstacle.isPresent() && System.nanoTime() < deadline && !obstacle.get().contains("dynamic")) {
        sleep(500);
        obstacle = CollectiveRunner.obstacle(sc, partitions);
      }
      if (obstacle.isPresent()) {
        throw new IllegalArgumentException("distributed." + (mode == TrainingMode.COLLECTIVE ? "mode" : "exchange")
            + " collective cannot run: " + obstacle.get() + "; use mode allreduce or averaging through Spark "
            + "(exchange auto), which need only one task slot");
      }
      return true;
    }
    if (mode != TrainingMode.AUTO) {
      return false;
    }
    if (resumedK != null && resumedK > 1) {
      return false;
    }
    Optional<String> obstacle = CollectiveRunner.obstacle(sc, partitions);
    // executors of a fresh cluster application may still be registering: wait as Spark itself waits for
    // resources (spark.scheduler.maxRegisteredResourcesWaitingTime, 30 s), so the choice does not depend
    // on how fast they came
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (obstacle.isPresent() && !sc.sc().isLocal() && !obstacle.get().contains("dynamic")
        && System.nanoTime() < deadline) {
      sleep(500);
      obstacle = CollectiveRunner.obstacle(sc, partitions);
    }
    if (obstacle.isPresent()) {
      LOG.info("dendrite auto mode: not collective because {}; measuring Spark's overhead instead",
          obstacle.get());
      return false;
    }
    LOG.info("dendrite auto mode: collective (all {} partitions run at once on {} task slots): exact "
        + "synchronous all-reduce between the tasks, no Spark job per step", partitions,
        CollectiveRunner.taskSlots(sc.sc()));
    return true;
  }

  private History fitCollective(JavaSparkContext sc, Network network, JavaRDD<DataBlock> blocks,
                                JavaRDD<DataBlock> validation, long examples, int steps, CheckpointStore store,
                                CheckpointStore.Restored restored) {
    int k = distributed.mode() == TrainingMode.AVERAGING ? distributed.averagingFrequency() : 0;
    if (k > 0) {
      LOG.info("dendrite: parameter averaging every {} steps between the tasks of one barrier job", k);
    }
    CollectiveRunner runner = new CollectiveRunner(sc, blocks, validation, network.config(), training, distributed,
        listeners, examples, steps, k);
    float[] params = network.parameters();
    if (restored != null) {
      LOG.info("dendrite: resuming from {} (epoch {}, step {}, {} steps done)", restored.file(),
          restored.snapshot().epoch() + 1, restored.snapshot().step(), restored.snapshot().globalStep());
    }
    Map<String, Object> extra = Map.of("averaging_frequency", Math.max(k, 1), "collective", true);
    History history = restored == null ? runner.run(params, null, null, null, store, extra)
        : runner.run(restored.params(), restored.optimizerState(), restored.snapshot(), restored.bestParams(),
            store, extra);
    network.setParameters(restored == null ? params : restored.params());
    return history;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private StepRunner runner(JavaSparkContext sc, JavaRDD<DataBlock> blocks, Network network,
                            SparkTrainingContext context, int steps, Integer resumedK) {
    int k = distributed.averagingFrequency();
    TrainingMode mode = distributed.mode();
    if (mode == TrainingMode.AUTO && resumedK != null) {
      LOG.info("dendrite auto mode: keeping the checkpointed choice ({})",
          resumedK == 1 ? "allreduce" : "averaging every " + resumedK + " steps");
      return resumedK == 1 ? new AllReduceRunner(sc, blocks, context)
          : new AveragingRunner(sc, blocks, context, resumedK);
    }
    OverheadProbe.Measurement m = OverheadProbe.measure(sc, blocks, network, training, distributed.shards(),
        context.exchange(), 5);
    int chosen = m.autoAveragingFrequency(steps);
    if (mode == TrainingMode.AUTO) {
      LOG.info("dendrite auto mode: {}; chose {}", figures(m),
          chosen == 1 ? "allreduce" : "averaging every " + chosen + " steps");
      return chosen == 1 ? new AllReduceRunner(sc, blocks, context) : new AveragingRunner(sc, blocks, context, chosen);
    }
    int fixed = mode == TrainingMode.ALLREDUCE ? 1 : k;
    String warning = overheadWarning(m, fixed, chosen);
    if (warning != null) {
      LOG.warn(warning);
    }
    return fixed == 1 ? new AllReduceRunner(sc, blocks, context) : new AveragingRunner(sc, blocks, context, fixed);
  }

  private static String figures(OverheadProbe.Measurement m) {
    return String.format(Locale.ROOT, "Spark job floor %.1f ms, all-reduce overhead %.1f ms (%s), step compute "
        + "%.2f ms per partition", m.trivialJobMillis(), m.allReduceOverheadMillis(), m.exchange(), m.computeMillis());
  }

  /**
   * The warning for a user's fixed choice ({@code k} local steps per Spark job, 1 for all-reduce) that
   * would spend more than half of each job in Spark overhead, or null. The all-reduce round trip is the
   * overhead's lower bound: an averaging round also ships the optimizer state.
   */
  static String overheadWarning(OverheadProbe.Measurement m, int k, int autoK) {
    double overhead = m.allReduceOverheadMillis();
    double share = overhead / (overhead + k * m.computeMillis());
    if (share <= 0.5) {
      return null;
    }
    return String.format(Locale.ROOT, "dendrite: %s: %s would spend %d%% of each %s in Spark overhead. Use mode "
            + "collective or auto (no Spark job per step when every partition runs at once), mode averaging "
            + "(averaging_frequency ~%d), or a larger batch size.", figures(m),
        k == 1 ? "all-reduce" : "averaging every " + k + " steps", Math.round(share * 100),
        k == 1 ? "step" : "round", autoK);
  }
}
