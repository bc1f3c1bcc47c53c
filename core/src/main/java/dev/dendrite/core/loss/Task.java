package dev.dendrite.core.loss;

/**
 * What a network's outputs mean, derived from its loss: the kind of task decides how predictions are
 * read (arg-max, threshold) and which metrics a trainer reports.
 */
public enum Task {
  /** One class of k: softmax outputs, arg-max prediction. */
  MULTICLASS,
  /** Two classes with one probability output, threshold 0.5. */
  BINARY_PROBABILITY,
  /** Two classes with one score output (logits, SVM, perceptron, Adaline): class 1 above 0. */
  BINARY_SCORE,
  /** Several independent 0/1 labels, one probability each, threshold 0.5. */
  MULTILABEL,
  /** Real-valued targets. */
  REGRESSION;

  /** The task a loss implies for a network with {@code outputs} outputs (regression for an unknown name). */
  public static Task of(String loss, int outputs) {
    return LossKind.find(loss).map(k -> k.task(outputs)).orElse(REGRESSION);
  }

  /** The task {@code loss} implies for a network with {@code outputs} outputs. */
  public static Task of(LossKind loss, int outputs) {
    return loss.task(outputs);
  }

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
