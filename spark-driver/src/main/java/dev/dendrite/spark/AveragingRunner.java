package dev.dendrite.spark;

import dev.dendrite.core.config.ConfigMap;
import dev.dendrite.core.optim.GradientClipping;
import dev.dendrite.core.optim.Optimizer;
import dev.dendrite.core.optim.OptimizerConfig;
import dev.dendrite.core.optim.OptimizerState;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.StepRunner;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;

/**
 * Parameter averaging, one Spark job per round of k steps: every partition starts from the published
 * parameters and optimizer state, takes k local optimizer steps on its own share of k consecutive
 * global mini-batches, and returns its parameters and optimizer state; the driver averages both,
 * weighted by examples. With k = 1 and SGD it is all-reduce; larger k trades exactness for k times
 * fewer jobs, for clusters where Spark's per-job latency dominates a step's compute.
 */
final class AveragingRunner implements StepRunner {

  private final JavaSparkContext sc;
  private final JavaRDD<DataBlock> blocks;
  private final SparkTrainingContext context;
  private final int k;

  AveragingRunner(JavaSparkContext sc, JavaRDD<DataBlock> blocks, SparkTrainingContext context, int k) {
    this.sc = sc;
    this.blocks = blocks;
    this.context = context;
    this.k = k;
  }

  /** The number of local steps per round. */
  int frequency() {
    return k;
  }

  @Override
  public long trainingExamples() {
    return context.trainingExamples();
  }

  @Override
  public int stepsPerEpoch() {
    return (context.stepsPerEpoch() + k - 1) / k;
  }

  @Override
  public StepOutcome step(float[] params, ParameterUpdate update, int epoch, int round) {
    context.describeJob(sc, epoch, round * k);
    Optimizer optimizer = update.optimizer();
    OptimizerState state = optimizer.state();
    List<String> names = state.slotNames();
    int n = params.length;
    int vectors = 1 + names.size();
    // one published vector: [params, slot_1, ...]
    float[] start = new float[n * vectors];
    System.arraycopy(params, 0, start, 0, n);
    for (int s = 0; s < names.size(); s++) {
      System.arraycopy(state.slot(names.get(s)), 0, start, (s + 1) * n, n);
    }
    GradientSum sum;
    int first = round * k;
    int localSteps = Math.min(k, context.stepsPerEpoch() - first);
    try (VectorExchange.Published published = context.exchange().publish(start)) {
      sum = context.exchange().sum(blocks,
          new LocalStepsTask(published.source(), names.toArray(new String[0]), state.optimizer(),
              state.iterations(), context, epoch, first, localSteps),
          n * vectors, context.shards());
    }
    if (sum.count() == 0) {
      // possible only with very uneven partitions, each smaller than the epoch's step count: nothing to learn
      return new StepOutcome(0, 0);
    }
    // the vector holds [params · n_p, slot_1 · n_p, ...] summed over partitions: divide by Σ n_p
    float[] total = sum.gradient();
    float inv = (float) (1.0 / sum.count());
    for (int i = 0; i < n; i++) {
      params[i] = total[i] * inv;
    }
    Map<String, float[]> averaged = new LinkedHashMap<>();
    for (int s = 0; s < names.size(); s++) {
      float[] slot = new float[n];
      for (int i = 0; i < n; i++) {
        slot[i] = total[(s + 1) * n + i] * inv;
      }
      averaged.put(names.get(s), slot);
    }
    optimizer.restore(new OptimizerState(state.optimizer(), state.iterations() + localSteps, averaged));
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

  /** The executor side of a round: k local steps on one block from the published state. */
  static final class LocalStepsTask implements Function<DataBlock, GradientSum> {
    private static final long serialVersionUID = 1L;
    private final VectorExchange.Source start;
    private final String[] slotNames;
    private final String optimizerName;
    private final long iterations;
    private final Map<String, Object> networkConfig;
    private final String loss;
    private final Map<String, Object> optimizerConfig;
    private final Map<String, Object> clipping;
    private final long seed;
    private final boolean shuffle;
    private final int epoch;
    private final int first;
    private final int localSteps;
    private final int steps;
    private final int partitions;

    LocalStepsTask(VectorExchange.Source start, String[] slotNames, String optimizerName, long iterations,
                   SparkTrainingContext context, int epoch, int first, int localSteps) {
      this.start = start;
      this.slotNames = slotNames;
      this.optimizerName = optimizerName;
      this.iterations = iterations;
      this.networkConfig = context.networkConfig();
      this.loss = context.lossName();
      this.optimizerConfig = context.training().optimizer().toMap();
      this.clipping = context.training().clipping().toMap();
      this.seed = context.seed();
      this.shuffle = context.shuffle();
      this.epoch = epoch;
      this.first = first;
      this.localSteps = localSteps;
      this.steps = context.stepsPerEpoch();
      this.partitions = context.partitions();
    }

    @Override
    public GradientSum call(DataBlock block) {
      ExecutorWorkers.Worker worker = ExecutorWorkers.worker(networkConfig, loss);
      ParameterUpdate update = worker.localUpdate(optimizerConfig + "|" + clipping, () -> new ParameterUpdate(worker.network.layout(),
          OptimizerConfig.read(new ConfigMap("optimizer", optimizerConfig)).create(),
          GradientClipping.read(new ConfigMap("clipping", clipping))));
      float[] from = start.vector();
      float[] p = worker.network.parameterArray();
      int n = p.length;
      Map<String, float[]> state = new LinkedHashMap<>();
      for (int i = 0; i < slotNames.length; i++) {
        state.put(slotNames[i], Arrays.copyOfRange(from, (i + 1) * n, (i + 2) * n));
      }
      update.optimizer().restore(new OptimizerState(optimizerName, iterations, state));
      System.arraycopy(from, 0, p, 0, n);
      double lossSum = 0;
      long examples = 0;
      for (int s = first; s < first + localSteps; s++) {
        int rows = worker.gather(block, worker.sampler(block, seed, epoch, shuffle, partitions), s, steps);
        if (rows == 0) {
          continue;
        }
        lossSum += worker.network.computeGradients(worker.x(), 0, worker.t(), 0, worker.w(block), 0, rows,
            worker.loss, 1f / rows, worker.rng.reseed(seed, 0xD409, epoch, s, block.partition()));
        update.apply(worker.network.parameterArray(), worker.network.gradientArray());
        examples += rows;
      }
      if (examples == 0) {
        return new GradientSum();
      }
      // one vector [params, slot_1, ...], each weighted by the examples this partition trained on
      OptimizerState after = update.optimizer().state();
      float[] weighted = new float[n * (1 + slotNames.length)];
      float w = examples;
      for (int i = 0; i < n; i++) {
        weighted[i] = p[i] * w;
      }
      for (int s = 0; s < slotNames.length; s++) {
        float[] slot = after.slot(slotNames[s]);
        for (int i = 0; i < n; i++) {
          weighted[(s + 1) * n + i] = slot[i] * w;
        }
      }
      return GradientSum.of(weighted, lossSum, examples);
    }
  }
}
