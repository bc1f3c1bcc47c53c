package dev.dendrite.spark;

import dev.dendrite.core.train.Evaluation;
import dev.dendrite.core.train.Evaluator;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.StepRunner;
import dev.dendrite.core.train.Task;
import dev.dendrite.spark.collective.CollectiveGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.dendrite.core.optim.OptimizerState;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One task's steps in collective training. All-reduce: the gradient sum of this partition's share of
 * the global batch, all-reduced with the other tasks (summed in partition order, as
 * {@link DeterministicSum} does), divided by the batch's example count, and applied by this task's
 * replica of the optimizer. Parameter averaging (every k steps): k local steps from the replicated
 * parameters and optimizer state, then one all-reduce of both, weighted by examples — the arithmetic of
 * {@link AveragingRunner}, without a Spark job per round. Every task computes the same result from the
 * same sums, so the replicas stay bit-identical; a checksum of the parameters compared every
 * {@code checkEvery} steps turns any divergence into an error.
 */
final class CollectiveStepRunner implements StepRunner {

  private final CollectiveGroup group;
  private final DataBlock block;
  private final List<DataBlock> validation;
  private final ExecutorWorkers.Worker worker;
  private final Task task;
  private final int evaluationBatch;
  private final long seed;
  private final boolean shuffle;
  private final long examples;
  private final int steps;
  private final int checkEvery;
  private final int averagingFrequency;
  private final ParameterUpdate localUpdate;
  private float[] weighted;
  private final float[] mean;
  private final double[] scalars = new double[2];

  /**
   * @param block this partition's training block (null or empty: the partition contributes zeros)
   * @param validation this partition's validation blocks, or null when the run has no validation data
   * @param averagingFrequency 0 for gradient all-reduce, else k local steps per averaging round
   * @param localUpdate the optimizer for the local steps of averaging (restored each round), or null
   */
  CollectiveStepRunner(CollectiveGroup group, DataBlock block, List<DataBlock> validation,
                       ExecutorWorkers.Worker worker, Task task, int batchSize, long seed, boolean shuffle,
                       long examples, int steps, int checkEvery, int averagingFrequency,
                       ParameterUpdate localUpdate) {
    this.group = group;
    this.block = block;
    this.validation = validation;
    this.worker = worker;
    this.task = task;
    this.evaluationBatch = Math.max(batchSize, 256);
    this.seed = seed;
    this.shuffle = shuffle;
    this.examples = examples;
    this.steps = steps;
    this.checkEvery = checkEvery;
    this.averagingFrequency = averagingFrequency;
    this.localUpdate = localUpdate;
    int n = worker.network.parameterCount();
    this.mean = new float[n];
  }

  @Override
  public long trainingExamples() {
    return examples;
  }

  /** Steps per epoch; for averaging, rounds per epoch. */
  @Override
  public int stepsPerEpoch() {
    return averagingFrequency == 0 ? steps : (steps + averagingFrequency - 1) / averagingFrequency;
  }

  @Override
  public StepOutcome step(float[] params, ParameterUpdate update, int epoch, int step) {
    StepOutcome outcome = averagingFrequency == 0 ? gradientStep(params, update, epoch, step)
        : averagingRound(params, update, epoch, step);
    long done = (long) epoch * stepsPerEpoch() + step + 1;
    if (checkEvery > 0 && done % checkEvery == 0) {
      compareReplicas(params, done);
    }
    return outcome;
  }

  /**
   * k local steps of this partition from the replicated state, then the example-weighted average of
   * parameters and optimizer slots over all partitions (as {@link AveragingRunner.LocalStepsTask} and
   * {@link AveragingRunner#step} compute it).
   */
  private StepOutcome averagingRound(float[] params, ParameterUpdate update, int epoch, int round) {
    OptimizerState state = update.optimizer().state();
    List<String> names = state.slotNames();
    int n = params.length;
    int first = round * averagingFrequency;
    int localSteps = Math.min(averagingFrequency, steps - first);
    if (weighted == null) {
      weighted = new float[n * (1 + names.size())];
    }
    Map<String, float[]> slots = new LinkedHashMap<>();
    for (String name : names) {
      slots.put(name, state.slot(name).clone());
    }
    localUpdate.optimizer().restore(new OptimizerState(state.optimizer(), state.iterations(), slots));
    float[] p = worker.network.parameterArray();
    System.arraycopy(params, 0, p, 0, n);
    double lossSum = 0;
    long rowsTrained = 0;
    if (block != null && block.size() > 0) {
      for (int s = first; s < first + localSteps; s++) {
        int rows = worker.gather(block, worker.sampler(block, seed, epoch, shuffle, group.size()), s, steps);
        if (rows == 0) {
          continue;
        }
        lossSum += worker.network.computeGradients(worker.x(), 0, worker.t(), 0, worker.w(block), 0, rows,
            worker.loss, 1f / rows, worker.rng.reseed(seed, 0xD409, epoch, s, block.partition()));
        localUpdate.apply(p, worker.network.gradientArray());
        rowsTrained += rows;
      }
    }
    if (rowsTrained == 0) {
      Arrays.fill(weighted, 0f);
    } else {
      OptimizerState after = localUpdate.optimizer().state();
      float w = rowsTrained;
      for (int i = 0; i < n; i++) {
        weighted[i] = p[i] * w;
      }
      for (int s = 0; s < names.size(); s++) {
        float[] slot = after.slot(names.get(s));
        for (int i = 0; i < n; i++) {
          weighted[(s + 1) * n + i] = slot[i] * w;
        }
      }
    }
    scalars[0] = lossSum;
    scalars[1] = rowsTrained;
    allReduce(weighted);
    long count = (long) scalars[1];
    if (count == 0) {
      // possible only with very uneven partitions, each smaller than the epoch's step count: nothing to learn
      return new StepOutcome(0, 0);
    }
    float inv = (float) (1.0 / count);
    for (int i = 0; i < n; i++) {
      params[i] = weighted[i] * inv;
    }
    Map<String, float[]> averaged = new LinkedHashMap<>();
    for (int s = 0; s < names.size(); s++) {
      float[] slot = new float[n];
      for (int i = 0; i < n; i++) {
        slot[i] = weighted[(s + 1) * n + i] * inv;
      }
      averaged.put(names.get(s), slot);
    }
    update.optimizer().restore(new OptimizerState(state.optimizer(), state.iterations() + localSteps, averaged));
    return new StepOutcome(scalars[0], count);
  }

  /** All-reduces {@code vector} and {@link #scalars} with the other tasks. */
  private void allReduce(float[] vector) {
    try {
      group.allReduce(vector);
      group.allReduce(scalars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private StepOutcome gradientStep(float[] params, ParameterUpdate update, int epoch, int step) {
    int rows = 0;
    double lossSum = 0;
    if (block != null && block.size() > 0) {
      rows = worker.gather(block, worker.sampler(block, seed, epoch, shuffle, group.size()), step, steps);
    }
    // all-reduced in place: the network's gradient vector is scratch until the next step writes it
    float[] sum = worker.network.gradientArray();
    if (rows > 0) {
      if (params != worker.network.parameterArray()) {
        worker.network.setParameters(params);
      }
      lossSum = worker.network.computeGradients(worker.x(), 0, worker.t(), 0, worker.w(block), 0, rows,
          worker.loss, 1f, worker.rng.reseed(seed, 0xD409, epoch, step, block.partition()));
    } else {
      Arrays.fill(sum, 0f);
    }
    scalars[0] = lossSum;
    scalars[1] = rows;
    allReduce(sum);
    long count = (long) scalars[1];
    if (count == 0) {
      // as in AllReduceRunner: no partition has rows for this step
      return new StepOutcome(0, 0);
    }
    float inv = (float) (1.0 / count);
    for (int i = 0; i < mean.length; i++) {
      mean[i] = sum[i] * inv;
    }
    update.apply(params, mean);
    return new StepOutcome(scalars[0], count);
  }

  /** Fails when the replicas' parameters differ anywhere (their checksums differ). */
  private void compareReplicas(float[] params, long globalStep) {
    long mine = checksum(params);
    long[] all;
    try {
      all = group.allGather(mine);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int r = 0; r < all.length; r++) {
      if (all[r] != all[0]) {
        throw new IllegalStateException("collective: the parameter replicas differ after step " + globalStep
            + " (checksum of rank 0 " + Long.toHexString(all[0]) + ", of rank " + r + " "
            + Long.toHexString(all[r]) + "); the tasks must compute bit-identical updates");
      }
    }
  }

  /** A cheap order-sensitive hash of the parameters' bits. */
  static long checksum(float[] params) {
    long h = 1125899906842597L;
    for (float p : params) {
      h = 31 * h + Float.floatToRawIntBits(p);
    }
    return h;
  }

  /**
   * The training accuracy on the first rows of this partition's block, up to
   * {@link #TRAINING_METRIC_EXAMPLES} over all partitions, the sums all-reduced; empty for regression.
   */
  @Override
  public Map<String, Double> trainingMetrics(float[] params) {
    if (!task.isClassification()) {
      return Map.of();
    }
    Evaluation evaluation = new Evaluation(task);
    if (block != null && block.size() > 0) {
      worker.network.setParameters(params);
      int n = Math.min(block.size(), (TRAINING_METRIC_EXAMPLES + group.size() - 1) / group.size());
      Evaluator.evaluate(worker.network, worker.loss, block.features(), block.targets(), block.weights(), n,
          evaluationBatch, evaluation);
    }
    double[] sums = evaluation.sums();
    try {
      group.allReduce(sums);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("accuracy", Evaluation.ofSums(task, sums).accuracy());
  }

  /** This partition's share of the validation sums, all-reduced: the metrics of the whole validation set. */
  @Override
  public Map<String, Double> validate(float[] params) {
    if (validation == null) {
      return Map.of();
    }
    Evaluation evaluation = new Evaluation(task);
    worker.network.setParameters(params);
    for (DataBlock b : validation) {
      Evaluator.evaluate(worker.network, worker.loss, b.features(), b.targets(), b.weights(), b.size(),
          evaluationBatch, evaluation);
    }
    double[] sums = evaluation.sums();
    try {
      group.allReduce(sums);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Evaluation.ofSums(task, sums).metrics("val_");
  }
}
