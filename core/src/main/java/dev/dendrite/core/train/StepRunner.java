package dev.dendrite.core.train;

import java.util.Map;

/**
 * Where the examples are and how one optimizer step is computed on them: on threads of this JVM
 * ({@link LocalStepRunner}) or on Spark executors. {@link TrainingLoop} drives it.
 */
public interface StepRunner {

  /** The number of training examples in one epoch. */
  long trainingExamples();

  /** The number of steps {@link #step} will be called for in one epoch. */
  int stepsPerEpoch();

  /**
   * One step of the epoch: computes what it needs from {@code params} and updates them in place through
   * {@code update} (all-reduce) or replaces them by an average (parameter averaging).
   *
   * @param epoch 0-based epoch
   * @param step 0-based step within the epoch
   * @return the summed data loss and the number of examples it covers
   */
  StepOutcome step(float[] params, ParameterUpdate update, int epoch, int step);

  /** The metrics of {@code params} on the held-out data ({@code val_loss}, {@code val_accuracy}...), or empty. */
  Map<String, Double> validate(float[] params);

  /**
   * At most this many training examples are evaluated at the end of an epoch for the training
   * {@code accuracy}: enough for a curve (its standard error is under 0.8 %), few enough to cost a few
   * percent of an epoch on Fashion-MNIST, where a pass over all 60,000 would add a third.
   */
  int TRAINING_METRIC_EXAMPLES = 4096;

  /**
   * The training {@code accuracy} of {@code params} at the end of an epoch, measured in inference mode on
   * up to {@link #TRAINING_METRIC_EXAMPLES} of the training examples (the loss beside it is the running
   * mean over the epoch's steps); empty for regression, or when a runner does not measure it.
   */
  default Map<String, Double> trainingMetrics(float[] params) {
    return Map.of();
  }

  /** Loss sum and example count of one step. */
  record StepOutcome(double lossSum, long examples) {
  }
}
