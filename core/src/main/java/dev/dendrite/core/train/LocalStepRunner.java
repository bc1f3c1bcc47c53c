package dev.dendrite.core.train;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.loss.Task;
import dev.dendrite.core.network.Network;
import java.util.Collections;
import java.util.Map;

/**
 * Steps on one JVM, sampled exactly as one Spark partition samples its block: every epoch the rows are
 * put in the order of {@link EpochSampler} (share 0 of 1), and step s gathers its slice of that order
 * into a batch buffer (on {@link ParallelGradient}'s threads, each the rows it reads first). The gradient
 * sum is computed on those threads (dropout as {@link StepRandom} draws it), divided by the batch's
 * example count and applied to the network's own parameter vector: the arithmetic of an all-reduce step
 * over one partition, so both give the same weights.
 */
final class LocalStepRunner implements StepRunner {

  private final Network network;
  private final Dataset train;
  private final Dataset validation;
  private final Loss loss;
  private final TrainingConfig config;
  private final ParallelGradient gradient;
  private final int steps;
  private final Task task;
  private final EpochSampler sampler;
  private final float[] x;
  private final float[] t;
  private final float[] w;
  private final BatchFill fill = this::gather;
  private int fillStep; // the step whose rows fill gathers

  LocalStepRunner(Network network, Dataset train, Dataset validation, Loss loss, TrainingConfig config,
                  ParallelGradient gradient) {
    this.network = network;
    this.train = train;
    this.validation = validation;
    this.loss = loss;
    this.config = config;
    this.gradient = gradient;
    this.steps = EpochSampler.stepsPerEpoch(train.size(), config.batchSize());
    this.task = Task.of(config.loss(), network.outputSize());
    this.sampler = new EpochSampler(train.size());
    int batch = EpochSampler.sliceSize(train.size(), 0, steps) + 1; // slices differ by at most one row
    this.x = new float[batch * train.featureWidth()];
    this.t = new float[batch * train.targetWidth()];
    this.w = train.weights() == null ? null : new float[batch];
  }

  @Override
  public long trainingExamples() {
    return train.size();
  }

  @Override
  public int stepsPerEpoch() {
    return steps;
  }

  @Override
  public StepOutcome step(float[] params, ParameterUpdate update, int epoch, int step) {
    if (step == 0) {
      sampler.order(config.seed(), epoch, 0, config.shuffle());
    }
    int rows = sampler.sliceSize(step, steps);
    fillStep = step;
    // the step's threads gather the batch (fill), each the rows it reads first; summed, then divided by
    // the rows as Spark's driver divides: one partition gives these bits
    double lossSum = gradient.computeAndApply(fill, x, 0, t, 0, w, 0, rows, loss, 1f, config.seed(), epoch,
        step, (float) (1.0 / rows), update, params);
    return new StepOutcome(lossSum, rows);
  }

  /** Rows {@code [from, to)} of step {@link #fillStep}'s batch, from this epoch's order into the buffers. */
  private void gather(int from, int to) {
    sampler.gather(train.features(), train.featureWidth(), fillStep, steps, x, from, to);
    sampler.gather(train.targets(), train.targetWidth(), fillStep, steps, t, from, to);
    if (w != null) {
      sampler.gather(train.weights(), 1, fillStep, steps, w, from, to);
    }
  }

  /** The accuracy on the first rows of this epoch's shuffled order. */
  @Override
  public Map<String, Double> trainingMetrics(float[] params) {
    if (!task.isClassification()) {
      return Collections.emptyMap();
    }
    int n = Math.min(train.size(), TRAINING_METRIC_EXAMPLES);
    Evaluation e = Evaluator.evaluate(network, loss, train.features(), train.targets(), train.weights(), n,
        Math.max(config.batchSize(), 256), new Evaluation(task));
    return Map.of("accuracy", e.accuracy());
  }

  @Override
  public Map<String, Double> validate(float[] params) {
    if (validation == null) {
      return Collections.emptyMap();
    }
    return LocalTrainer.evaluate(network, loss, task, validation, config.batchSize()).metrics("val_");
  }
}
