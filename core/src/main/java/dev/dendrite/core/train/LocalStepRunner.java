package dev.dendrite.core.train;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.loss.Loss;
import dev.dendrite.core.network.Network;
import dev.dendrite.core.random.Rng;
import java.util.Collections;
import java.util.Map;

/**
 * Steps on one JVM: the training set is shuffled in place at the start of every epoch, so each
 * mini-batch is a contiguous run of rows read through offsets (no copy); its gradient is computed on
 * {@link ParallelGradient}'s threads and applied to the network's own parameter vector.
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
  private final Rng shuffleRng = new Rng(0);

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
    if (step == 0 && config.shuffle()) {
      train.shuffle(shuffleRng.reseed(config.seed(), 0x5A3B1E, epoch));
    }
    int start = EpochSampler.sliceStart(train.size(), step, steps);
    int rows = EpochSampler.sliceSize(train.size(), step, steps);
    double lossSum = gradient.computeAndApply(train.features(), train.featureOffset(start), train.targets(),
        train.targetOffset(start), train.weights(), start, rows, loss, 1f / rows, config.seed(),
        (long) epoch * steps + step, update, params);
    return new StepOutcome(lossSum, rows);
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
