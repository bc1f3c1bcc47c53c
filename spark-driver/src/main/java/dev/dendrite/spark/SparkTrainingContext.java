package dev.dendrite.spark;

import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.Losses;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.train.Evaluation;
import dev.dendrite.core.train.Evaluator;
import dev.dendrite.core.train.Task;
import dev.dendrite.core.train.TrainingConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import scala.Tuple2;

/**
 * What every step of one distributed run shares: the network configuration shipped to executors (as
 * its JSON map, rebuilt there), the loss, seed, epoch geometry, and the held-out blocks with their
 * distributed evaluation.
 */
final class SparkTrainingContext {

  private final Map<String, Object> networkConfig;
  private final int parameterCount;
  private final int outputs;
  private final TrainingConfig training;
  private final DistributedConfig distributed;
  private final long trainingExamples;
  private final int stepsPerEpoch;
  private final int partitions;
  private final JavaRDD<DataBlock> validation;
  private final VectorExchange exchange;

  SparkTrainingContext(Network network, TrainingConfig training, DistributedConfig distributed,
                       long trainingExamples, int stepsPerEpoch, int partitions, JavaRDD<DataBlock> validation,
                       VectorExchange exchange) {
    this.networkConfig = network.config().toMap();
    this.parameterCount = network.parameterCount();
    this.outputs = network.outputSize();
    this.training = training;
    this.distributed = distributed;
    this.trainingExamples = trainingExamples;
    this.stepsPerEpoch = stepsPerEpoch;
    this.partitions = partitions;
    this.validation = validation;
    this.exchange = exchange;
  }

  /** How the parameters reach the tasks and their vectors come back. */
  VectorExchange exchange() {
    return exchange;
  }

  Map<String, Object> networkConfig() {
    return networkConfig;
  }

  int parameterCount() {
    return parameterCount;
  }

  String lossName() {
    return training.loss();
  }

  long seed() {
    return training.seed();
  }

  boolean shuffle() {
    return training.shuffle();
  }

  long trainingExamples() {
    return trainingExamples;
  }

  int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** The number of training blocks: block p's slices are shifted by p/partitions of a step (EpochSampler). */
  int partitions() {
    return partitions;
  }

  int shards() {
    return distributed.shards();
  }

  TrainingConfig training() {
    return training;
  }

  /** Names the next Spark job after the step it computes, for the Spark UI. */
  void describeJob(JavaSparkContext sc, int epoch, int step) {
    sc.setJobDescription(String.format(Locale.ROOT, "dendrite train: epoch %d/%d, step %d/%d", epoch + 1,
        training.epochs(), step + 1, stepsPerEpoch));
  }

  /** Distributed evaluation of {@code params} on the validation blocks: {@code val_loss}, {@code val_accuracy}... */
  Map<String, Double> validate(JavaSparkContext sc, float[] params) {
    if (validation == null) {
      return Collections.emptyMap();
    }
    sc.setJobDescription("dendrite train: validation");
    return evaluate(sc, validation, params).metrics("val_");
  }

  /**
   * The training {@code accuracy} of {@code params} on the first rows of each training block, up to
   * {@link dev.dendrite.core.train.StepRunner#TRAINING_METRIC_EXAMPLES} in all; empty for regression.
   */
  Map<String, Double> trainingMetrics(JavaSparkContext sc, JavaRDD<DataBlock> train, float[] params) {
    if (!Task.of(training.loss(), outputs).isClassification()) {
      return Collections.emptyMap();
    }
    sc.setJobDescription("dendrite train: training accuracy");
    int rows = (dev.dendrite.core.train.StepRunner.TRAINING_METRIC_EXAMPLES + partitions - 1) / partitions;
    return Map.of("accuracy", evaluate(sc, train, params, rows).accuracy());
  }

  /** Evaluates {@code params} on any blocks, distributed; one Spark job. */
  Evaluation evaluate(JavaSparkContext sc, JavaRDD<DataBlock> blocks, float[] params) {
    return evaluate(sc, blocks, params, Integer.MAX_VALUE);
  }

  /** Evaluates {@code params} on the first {@code rowsPerPartition} rows of each partition's blocks. */
  private Evaluation evaluate(JavaSparkContext sc, JavaRDD<DataBlock> blocks, float[] params, int rowsPerPartition) {
    try (VectorExchange.Published weights = exchange.publish(params.clone())) {
      Task task = Task.of(training.loss(), outputs);
      // merged on the driver in partition order: small objects, and the same sums whatever order tasks end in
      List<Tuple2<Integer, Evaluation>> parts = blocks.mapPartitionsWithIndex(new EvaluateTask(weights.source(),
          networkConfig, training.loss(), task, training.batchSize(), rowsPerPartition), true).collect();
      List<Tuple2<Integer, Evaluation>> sorted = new ArrayList<>(parts);
      sorted.sort(Comparator.comparing(Tuple2::_1));
      Evaluation total = new Evaluation(task);
      for (Tuple2<Integer, Evaluation> part : sorted) {
        total.merge(part._2());
      }
      return total;
    }
  }

  /** Evaluates the blocks of one partition. */
  static final class EvaluateTask
      implements Function2<Integer, Iterator<DataBlock>, Iterator<Tuple2<Integer, Evaluation>>>, Serializable {
    private static final long serialVersionUID = 1L;
    private final VectorExchange.Source weights;
    private final Map<String, Object> networkConfig;
    private final String loss;
    private final Task task;
    private final int batchSize;
    private final int rows;

    EvaluateTask(VectorExchange.Source weights, Map<String, Object> networkConfig, String loss, Task task,
                 int batchSize, int rows) {
      this.weights = weights;
      this.networkConfig = networkConfig;
      this.loss = loss;
      this.task = task;
      this.batchSize = batchSize;
      this.rows = rows;
    }

    @Override
    public Iterator<Tuple2<Integer, Evaluation>> call(Integer index, Iterator<DataBlock> blocks) {
      ExecutorWorkers.Worker worker = ExecutorWorkers.worker(networkConfig, loss);
      worker.network.setParameters(weights.vector());
      Loss l = Losses.parse(loss);
      Evaluation evaluation = new Evaluation(task);
      int left = rows;
      while (blocks.hasNext() && left > 0) {
        DataBlock b = blocks.next();
        int n = Math.min(b.size(), left);
        Evaluator.evaluate(worker.network, l, b.features(), b.targets(), b.weights(), n,
            Math.max(batchSize, 256), evaluation);
        left -= n;
      }
      return Collections.singletonList(new Tuple2<>(index, evaluation)).iterator();
    }
  }
}
