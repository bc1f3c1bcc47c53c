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

  /** Loss sum and example count of one step. */
  record StepOutcome(double lossSum, long examples) {
  }
}
