package dev.dendrite.core.train;

import java.util.Locale;

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

  /** The task a loss implies for a network with {@code outputs} outputs. */
  public static Task of(String loss, int outputs) {
    switch (loss.toLowerCase(Locale.ROOT)) {
      case "sparse_categorical_crossentropy":
      case "categorical_crossentropy":
      case "kl_divergence":
      case "kld":
        return MULTICLASS;
      case "binary_crossentropy":
      case "bce":
        return outputs == 1 ? BINARY_PROBABILITY : MULTILABEL;
      case "binary_crossentropy_logits":
      case "hinge":
      case "squared_hinge":
      case "perceptron":
      case "adaline":
        return BINARY_SCORE;
      default:
        return REGRESSION;
    }
  }

  public boolean isClassification() {
    return this != REGRESSION;
  }
}
