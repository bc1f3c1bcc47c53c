package dev.dendrite.spark;

import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.StepRunner;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Synchronous gradient all-reduce, one Spark job per step: publish the parameters (a broadcast, or a
 * reference in local mode: {@link VectorExchange}), let every partition compute the summed gradient of
 * its share of the global mini-batch, sum them in partition order (see {@link DeterministicSum}), divide
 * by the example count on the driver, update, release the published parameters.
 * The result equals single-JVM mini-batch descent on the union batch, up to float summation order.
 */
final class AllReduceRunner implements StepRunner {

  private final JavaSparkContext sc;
  private final JavaRDD<DataBlock> blocks;
  private final SparkTrainingContext context;
  private final float[] mean;

  AllReduceRunner(JavaSparkContext sc, JavaRDD<DataBlock> blocks, SparkTrainingContext context) {
    this.sc = sc;
    this.blocks = blocks;
    this.context = context;
    this.mean = new float[context.parameterCount()];
  }

  @Override
  public long trainingExamples() {
    return context.trainingExamples();
  }

  @Override
  public int stepsPerEpoch() {
    return context.stepsPerEpoch();
  }

  @Override
  public StepOutcome step(float[] params, ParameterUpdate update, int epoch, int step) {
    context.describeJob(sc, epoch, step);
    GradientSum sum;
    try (VectorExchange.Published weights = context.exchange().publish(params.clone())) {
      sum = context.exchange().sum(blocks, new GradientTask(weights.source(), context.networkConfig(),
          context.lossName(), context.seed(), context.shuffle(), epoch, step, context.stepsPerEpoch(),
          context.partitions()), mean.length, context.shards());
    }
    if (sum.count() == 0) {
      // possible only with very uneven partitions, each smaller than the epoch's step count: nothing to learn
      return new StepOutcome(0, 0);
    }
    float[] g = sum.gradient();
    float inv = (float) (1.0 / sum.count());
    for (int i = 0; i < mean.length; i++) {
      mean[i] = g[i] * inv;
    }
    update.apply(params, mean);
    return new StepOutcome(sum.loss(), sum.count());
  }

  @Override
  public Map<String, Double> validate(float[] params) {
    return context.validate(sc, params);
  }

  @Override
  public Map<String, Double> trainingMetrics(float[] params) {
    return context.trainingMetrics(sc, blocks, params);
  }

  /** The executor side of a step: one block in, its gradient sum added to the accumulator. */
  static final class GradientTask implements Function<DataBlock, GradientSum> {
    private static final long serialVersionUID = 1L;
    private final VectorExchange.Source weights;
    private final Map<String, Object> networkConfig;
    private final String loss;
    private final long seed;
    private final boolean shuffle;
    private final int epoch;
    private final int step;
    private final int steps;
    private final int partitions;

    GradientTask(VectorExchange.Source weights, Map<String, Object> networkConfig, String loss, long seed,
                 boolean shuffle, int epoch, int step, int steps, int partitions) {
      this.weights = weights;
      this.networkConfig = networkConfig;
      this.loss = loss;
      this.seed = seed;
      this.shuffle = shuffle;
      this.epoch = epoch;
      this.step = step;
      this.steps = steps;
      this.partitions = partitions;
    }

    @Override
    public GradientSum call(DataBlock block) {
      GradientSum acc = new GradientSum();
      ExecutorWorkers.Worker worker = ExecutorWorkers.worker(networkConfig, loss);
      int rows = worker.gather(block, worker.sampler(block, seed, epoch, shuffle, partitions), step, steps);
      if (rows == 0) {
        return acc;
      }
      worker.network.setParameters(weights.vector());
      double lossSum = worker.network.computeGradients(worker.x(), 0, worker.t(), 0, worker.w(block), 0, rows,
          worker.loss, 1f, worker.rng.reseed(seed, 0xD409, epoch, step, block.partition()));
      return acc.add(worker.network.gradientArray(), lossSum, rows);
    }
  }
}
