package dev.dendrite.spark;

import dev.dendrite.core.train.Evaluation;
import dev.dendrite.core.train.Evaluator;
import dev.dendrite.core.train.ParameterUpdate;
import dev.dendrite.core.train.StepRunner;
import dev.dendrite.core.train.Task;
import dev.dendrite.spark.collective.CollectiveGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One task's steps in collective training: the gradient sum of this partition's share of the global
 * batch, all-reduced with the other tasks (summed in partition order, as {@link DeterministicSum} does),
 * divided by the batch's example count, and applied by this task's replica of the optimizer. Every task
 * computes the same update from the same sum, so the replicas stay bit-identical; a checksum of the
 * parameters compared every {@code checkEvery} steps turns any divergence into an error.
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
  private final float[] sum;
  private final float[] mean;
  private final double[] scalars = new double[2];

  /**
   * @param block this partition's training block (null or empty: the partition contributes zeros)
   * @param validation this partition's validation blocks, or null when the run has no validation data
   */
  CollectiveStepRunner(CollectiveGroup group, DataBlock block, List<DataBlock> validation,
                       ExecutorWorkers.Worker worker, Task task, int batchSize, long seed, boolean shuffle,
                       long examples, int steps, int checkEvery) {
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
    int n = worker.network.parameterCount();
    this.sum = new float[n];
    this.mean = new float[n];
  }

  @Override
  public long trainingExamples() {
    return examples;
  }

  @Override
  public int stepsPerEpoch() {
    return steps;
  }

  @Override
  public StepOutcome step(float[] params, ParameterUpdate update, int epoch, int step) {
    int rows = 0;
    double lossSum = 0;
    if (block != null && block.size() > 0) {
      rows = worker.gather(block, worker.sampler(block, seed, epoch, shuffle), step, steps);
    }
    if (rows > 0) {
      worker.network.setParameters(params);
      lossSum = worker.network.computeGradients(worker.x(), 0, worker.t(), 0, worker.w(block), 0, rows,
          worker.loss, 1f, worker.rng.reseed(seed, 0xD409, epoch, step, block.partition()));
      System.arraycopy(worker.network.gradientArray(), 0, sum, 0, sum.length);
    } else {
      Arrays.fill(sum, 0f);
    }
    scalars[0] = lossSum;
    scalars[1] = rows;
    try {
      group.allReduce(sum);
      group.allReduce(scalars);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long count = (long) scalars[1];
    if (count == 0) {
      throw new IllegalStateException("step " + (step + 1) + " of epoch " + (epoch + 1) + " had no examples");
    }
    float inv = (float) (1.0 / count);
    for (int i = 0; i < mean.length; i++) {
      mean[i] = sum[i] * inv;
    }
    update.apply(params, mean);
    long globalStep = (long) epoch * steps + step + 1;
    if (checkEvery > 0 && globalStep % checkEvery == 0) {
      compareReplicas(params, globalStep);
    }
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
